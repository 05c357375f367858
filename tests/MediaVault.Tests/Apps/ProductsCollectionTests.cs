using System.Net;
using System.Net.Http.Json;
using MediaVault.Tests.Infrastructure;

namespace MediaVault.Tests.Apps;

/// <summary>Products:Collection pointed at the test app's Public collection: seed 003's clean, cacheable URLs.</summary>
public abstract class PublicProductsTests(MediaVaultApplication app)
{
    [Fact]
    public async Task ImagesUploadedToThePublicCollectionGetCleanUrlsAnyoneCanRead()
    {
        using var user = await app.NewUserAsync();
        var png = TestImages.Png(71, 9);
        var proxied = await user.UploadOkAsync(png, collection: "public");
        var direct = await user.DirectUploadOkAsync(TestImages.Gif(), "image/gif", collection: "public");

        var product = await user.CreateProductOkAsync("Open", [proxied.Id, direct.Id]);

        Assert.All(product.Images, i => Assert.Equal(("public", (DateTimeOffset?)null), (i.Collection, i.UrlExpiresAt)));
        Assert.All(product.Images, i => Assert.DoesNotContain("?", i.Url));
        Assert.Equal(png, await ApiExtensions.DownloadAsync(product.Images[0].Url)); // no token, no signature
        var read = await user.GetFromJsonOk<ProductDto>($"/products/{product.Id}");
        Assert.Equal(product.Images.Select(i => i.Url), read.Images.Select(i => i.Url)); // the same URL every time: cacheable
    }

    [Fact]
    public async Task MultipartFilesGoToThePublicCollection()
    {
        using var user = await app.NewUserAsync();
        var jpeg = TestImages.Jpeg(72, 9);
        var response = await user.CreateProductMultipartAsync("Open form", [new(jpeg, "a.jpg", "image/jpeg")]);
        await response.ShouldBe(HttpStatusCode.Created);
        var image = (await response.Content.ReadFromJsonAsync<ProductDto>())!.Images.Single();
        Assert.Equal(("public", (DateTimeOffset?)null), (image.Collection, image.UrlExpiresAt));
        Assert.Equal(jpeg, await ApiExtensions.DownloadAsync(image.Url));
    }

    [Fact]
    public async Task ImagesOfTheDefaultCollectionAreRefusedThen()
    {
        using var user = await app.NewUserAsync();
        var image = await user.UploadOkAsync(TestImages.Png());
        var response = await user.PostAsync("/products", AppsApi.Json($$"""{"name":"Wrong","imageIds":{{AppsApi.Ids(image.Id)}}}"""));
        Assert.Contains(image.Id.ToString(), await response.ShouldBeValidationProblem("imageIds"), StringComparison.OrdinalIgnoreCase);
    }
}

/// <summary>The default (Products:Collection = images, private): signed URLs that expire.</summary>
public abstract class PrivateProductsTests(MediaVaultApplication app)
{
    [Fact]
    public async Task DefaultCollectionGivesSignedUrlsThatDoNotWorkUnsigned()
    {
        using var user = await app.NewUserAsync();
        var png = TestImages.Png(73, 9);
        var product = await user.CreateProductOkAsync("Closed", [(await user.UploadOkAsync(png)).Id]);
        var image = product.Images.Single();

        Assert.Equal("images", image.Collection);
        Assert.NotNull(image.UrlExpiresAt);
        Assert.InRange(image.UrlExpiresAt!.Value - app.Clock.GetUtcNow(), TimeSpan.FromMinutes(59), TimeSpan.FromMinutes(60));
        Assert.Contains("?", image.Url);
        Assert.Equal(png, await ApiExtensions.DownloadAsync(image.Url));
        var unsigned = await ApiExtensions.FetchAsync(image.Url[..image.Url.IndexOf('?')]);
        Assert.Equal(HttpStatusCode.Forbidden, unsigned.StatusCode);
    }

    [Fact]
    public async Task ImagesOfThePublicCollectionAreRefusedByDefault()
    {
        using var user = await app.NewUserAsync();
        var image = await user.UploadOkAsync(TestImages.Png(), collection: "public");
        var response = await user.PostAsync("/products", AppsApi.Json($$"""{"name":"Wrong","imageIds":{{AppsApi.Ids(image.Id)}}}"""));
        Assert.Contains(image.Id.ToString(), await response.ShouldBeValidationProblem("imageIds"), StringComparison.OrdinalIgnoreCase);
    }
}

/// <summary>Products:Collection pointed at the test app's "small" collection (20,000 bytes): multipart files get its limit.</summary>
public abstract class SmallProductsTests(MediaVaultApplication app)
{
    [Fact]
    public async Task AFileOverTheCollectionsLimitRefusesTheWholeRequestAndLeavesNothing()
    {
        using var user = await app.NewUserAsync();
        var keys = await app.ObjectKeysAsync();
        FilePart[] files = [new(TestImages.Png(), "fits.png"), new(TestImages.PaddedPng(20_001), "over.png")];

        await (await user.CreateProductMultipartAsync("Too big", files)).ShouldBeProblem(HttpStatusCode.RequestEntityTooLarge);

        Assert.Empty((await user.GetFromJsonOk<ImagePage>("/images")).Items);
        Assert.Equal(keys, await app.ObjectKeysAsync());
        Assert.Empty(await user.AllProductsAsync());
        var fits = await user.CreateProductMultipartAsync("Fits", [new(TestImages.PaddedPng(20_000), "fits.png")]);
        await fits.ShouldBe(HttpStatusCode.Created);
        Assert.Equal("small", (await fits.Content.ReadFromJsonAsync<ProductDto>())!.Images.Single().Collection);
    }
}

public sealed class LocalSmallProductsApp(RgwServer rgw)
    : MediaVaultApplication(StoreKind.Local, rgw, new Dictionary<string, string?> { ["Products:Collection"] = "small" });

public sealed class S3SmallProductsApp(RgwServer rgw)
    : MediaVaultApplication(StoreKind.S3, rgw, new Dictionary<string, string?> { ["Products:Collection"] = "small" });

public sealed class LocalSmallProductsTests(LocalSmallProductsApp app) : SmallProductsTests(app), IClassFixture<LocalSmallProductsApp>;

public sealed class S3SmallProductsTests(S3SmallProductsApp app) : SmallProductsTests(app), IClassFixture<S3SmallProductsApp>;

public sealed class LocalPublicProductsApp(RgwServer rgw)
    : MediaVaultApplication(StoreKind.Local, rgw, new Dictionary<string, string?> { ["Products:Collection"] = "public" });

public sealed class S3PublicProductsApp(RgwServer rgw)
    : MediaVaultApplication(StoreKind.S3, rgw, new Dictionary<string, string?> { ["Products:Collection"] = "public" });

public sealed class LocalPublicProductsTests(LocalPublicProductsApp app) : PublicProductsTests(app), IClassFixture<LocalPublicProductsApp>;

public sealed class S3PublicProductsTests(S3PublicProductsApp app) : PublicProductsTests(app), IClassFixture<S3PublicProductsApp>;

public sealed class LocalPrivateProductsTests(LocalApp app) : PrivateProductsTests(app), IClassFixture<LocalApp>;

public sealed class S3PrivateProductsTests(S3App app) : PrivateProductsTests(app), IClassFixture<S3App>;
