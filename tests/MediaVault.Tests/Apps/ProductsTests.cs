using System.Net;
using System.Net.Http.Json;
using MediaVault.Tests.Infrastructure;

namespace MediaVault.Tests.Apps;

/// <summary>POST /products with JSON: images uploaded before (direct or proxied), then the product naming them.</summary>
public abstract class ProductsTests(MediaVaultApplication app)
{
    [Fact]
    public async Task CreatesProductFromDirectAndProxiedImagesInTheGivenOrder()
    {
        using var user = await app.NewUserAsync();
        var put = await user.DirectUploadOkAsync(TestImages.Png(31, 10));
        var proxied = await user.UploadOkAsync(TestImages.Jpeg(32, 10), "b.jpg", "image/jpeg");
        var post = await user.DirectUploadOkAsync(TestImages.WebP(33, 10), "image/webp", method: "POST");

        var product = await user.CreateProductOkAsync("Desk lamp", [proxied.Id, post.Id, put.Id], "Brass, 40 cm", 19.99m);

        Assert.Equal(("Desk lamp", "Brass, 40 cm", (decimal?)19.99m), (product.Name, product.Description, product.Price));
        Assert.Equal([proxied.Id, post.Id, put.Id], product.Images.Select(i => i.Id));
        Assert.Equal([32, 33, 31], product.Images.Select(i => i.Width));
        Assert.False(string.IsNullOrEmpty(product.OwnerId));
        Assert.Equal(product.CreatedAt, product.UpdatedAt);
        Assert.Equal(proxied.Stable(), product.Images[0].Stable());
        Assert.Equal(TestImages.Jpeg(32, 10), await ApiExtensions.DownloadAsync(product.Images[0].Url));
        Assert.Equal(TestImages.WebP(33, 10), await ApiExtensions.DownloadAsync(product.Images[1].Url));

        var read = await user.GetFromJsonOk<ProductDto>($"/products/{product.Id}");
        AppsApi.AssertSameProduct(product, read);
        Assert.Equal(TestImages.Png(31, 10), await ApiExtensions.DownloadAsync(read.Images[2].Url));
    }

    [Fact]
    public async Task ProductWithOnlyANameHasNullsAndNoImages()
    {
        using var user = await app.NewUserAsync();
        var response = await user.PostAsync("/products", AppsApi.Json("""{"name":"Chair"}"""));
        await response.ShouldBe(HttpStatusCode.Created);
        var product = (await response.Content.ReadFromJsonAsync<ProductDto>())!;
        Assert.Equal(("Chair", (string?)null, (decimal?)null), (product.Name, product.Description, product.Price));
        Assert.Empty(product.Images);
        Assert.True(response.Headers.CacheControl?.NoStore);
    }

    [Fact]
    public async Task TenImagesAreAllowedAndElevenAreRefusedCreatingNothing()
    {
        using var user = await app.NewUserAsync();
        var ids = new List<Guid>();
        for (var i = 0; i < 11; i++) ids.Add((await user.UploadOkAsync(TestImages.Png(10 + i, 10))).Id);

        await AssertRefusedAsync(user, ids, badId: null, proveFree: false);
        var product = await user.CreateProductOkAsync("Ten", ids.Take(10));
        Assert.Equal(ids.Take(10), product.Images.Select(i => i.Id));
    }

    [Fact]
    public async Task RefusesAnotherUsersImageNamingIt()
    {
        using var owner = await app.NewUserAsync();
        using var thief = await app.NewUserAsync();
        var theirs = await owner.UploadOkAsync(TestImages.Png());
        var mine = await thief.UploadOkAsync(TestImages.Png());

        await AssertRefusedAsync(thief, [mine.Id, theirs.Id], theirs.Id);
        Assert.Equal(theirs.Stable(), (await owner.GetFromJsonOk<ImageDto>($"/images/{theirs.Id}")).Stable());
        await owner.CreateProductOkAsync("Still theirs", [theirs.Id]);
    }

    [Fact]
    public async Task RefusesUnknownImageNamingIt()
    {
        using var user = await app.NewUserAsync();
        var mine = await user.UploadOkAsync(TestImages.Png());
        var unknown = Guid.NewGuid();
        await AssertRefusedAsync(user, [mine.Id, unknown], unknown);
    }

    [Fact]
    public async Task RefusesImageAlreadyOnAnotherProductNamingIt()
    {
        using var user = await app.NewUserAsync();
        var taken = await user.UploadOkAsync(TestImages.Png());
        var free = await user.UploadOkAsync(TestImages.Png());
        var first = await user.CreateProductOkAsync("First", [taken.Id]);

        await AssertRefusedAsync(user, [free.Id, taken.Id], taken.Id);
        Assert.Equal([taken.Id], (await user.GetFromJsonOk<ProductDto>($"/products/{first.Id}")).Images.Select(i => i.Id));
    }

    [Fact]
    public async Task RefusesRepeatedImageNamingIt()
    {
        using var user = await app.NewUserAsync();
        var a = await user.UploadOkAsync(TestImages.Png());
        var b = await user.UploadOkAsync(TestImages.Png());
        await AssertRefusedAsync(user, [a.Id, b.Id, a.Id], a.Id);
    }

    [Fact]
    public async Task RefusesImageOutsideTheProductsCollectionNamingIt()
    {
        using var user = await app.NewUserAsync();
        var mine = await user.UploadOkAsync(TestImages.Png());
        var elsewhere = await user.UploadOkAsync(TestImages.Png(), collection: "small");
        await AssertRefusedAsync(user, [mine.Id, elsewhere.Id], elsewhere.Id);
    }

    [Fact]
    public async Task ConcurrentCreatesClaimingOneImageLetExactlyOneWin()
    {
        using var user = await app.NewUserAsync();
        var image = await user.UploadOkAsync(TestImages.Png());
        var before = (await user.AllProductsAsync()).Count;

        var responses = await Task.WhenAll(Enumerable.Range(0, 6).Select(i =>
            user.PostAsync("/products", AppsApi.Json($$"""{"name":"Race {{i}}","imageIds":{{AppsApi.Ids(image.Id)}}}"""))));

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Created);
        Assert.All(responses.Where(r => r.StatusCode != HttpStatusCode.Created),
            r => Assert.True(r.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.Conflict, $"{(int)r.StatusCode}"));
        var products = await user.AllProductsAsync();
        Assert.Equal(before + 1, products.Count);
        Assert.Single(products, p => p.Images.Any(i => i.Id == image.Id));
    }

    [Fact]
    public async Task ConcurrentEditsMovingOneImageOntoTwoProductsLetExactlyOneWin()
    {
        using var user = await app.NewUserAsync();
        var image = await user.UploadOkAsync(TestImages.Png());
        var a = await user.CreateProductOkAsync("A");
        var b = await user.CreateProductOkAsync("B");
        var body = $$"""{"imageIds":{{AppsApi.Ids(image.Id)}}}""";

        var responses = await Task.WhenAll(new[] { a, b, a, b }.Select(p => user.PatchAsync($"/products/{p.Id}", AppsApi.Json(body))));

        Assert.Contains(responses, r => r.StatusCode == HttpStatusCode.OK);
        var holders = new List<Guid>();
        foreach (var p in new[] { a, b })
            if ((await user.GetFromJsonOk<ProductDto>($"/products/{p.Id}")).Images.Any(i => i.Id == image.Id)) holders.Add(p.Id);
        Assert.Single(holders);
    }

    /// <summary>The request is a 400 naming the id in errors.imageIds, no product appears, and every image
    /// it named is still free to use (nothing was attached half-way).</summary>
    private async Task AssertRefusedAsync(HttpClient user, List<Guid> ids, Guid? badId, bool proveFree = true)
    {
        var before = (await user.AllProductsAsync()).Select(p => p.Id).ToList();
        var response = await user.PostAsync("/products", AppsApi.Json($$"""{"name":"Refused","imageIds":{{AppsApi.Ids(ids)}}}"""));
        var message = await response.ShouldBeValidationProblem("imageIds");
        if (badId is { } id) Assert.Contains(id.ToString(), message, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(before, (await user.AllProductsAsync()).Select(p => p.Id));

        var mine = (await user.GetFromJsonOk<ImagePage>("/images?limit=500")).Items.Select(i => i.Id).ToHashSet();
        var free = ids.Distinct().Where(i => i != badId && mine.Contains(i)).Take(10).ToList();
        if (proveFree && free.Count > 0)
        {
            var product = await user.CreateProductOkAsync("Free after all", free);
            await (await user.DeleteAsync($"/products/{product.Id}")).ShouldBe(HttpStatusCode.NoContent);
        }
    }
}

public sealed class LocalProductsTests(LocalApp app) : ProductsTests(app), IClassFixture<LocalApp>;

public sealed class S3ProductsTests(S3App app) : ProductsTests(app), IClassFixture<S3App>;
