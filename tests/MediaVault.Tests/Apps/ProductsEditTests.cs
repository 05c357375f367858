using System.Net;
using System.Net.Http.Json;
using MediaVault.Tests.Infrastructure;

namespace MediaVault.Tests.Apps;

/// <summary>PATCH /products/{id}: absent is unchanged, null clears, imageIds replaces the ordered list.</summary>
public abstract class ProductsEditTests(MediaVaultApplication app)
{
    [Fact]
    public async Task RenameChangesOnlyTheNameAndTheUpdateTime()
    {
        using var user = await app.NewUserAsync();
        var images = await UploadAsync(user, 2);
        var product = await user.CreateProductOkAsync("Old", images.Select(i => i.Id), "desc", 7.5m);
        app.Clock.Advance(TimeSpan.FromSeconds(5));

        var renamed = await PatchOkAsync(user, product.Id, """{"name":"New"}""");

        Assert.Equal("New", renamed.Name);
        Assert.Equal((product.Description, product.Price, product.CreatedAt), (renamed.Description, renamed.Price, renamed.CreatedAt));
        Assert.Equal(product.Images.Select(i => i.Stable()), renamed.Images.Select(i => i.Stable()));
        Assert.True(renamed.UpdatedAt > product.UpdatedAt, $"{renamed.UpdatedAt:O} after {product.UpdatedAt:O}");
        AppsApi.AssertSameProduct(renamed, await user.GetFromJsonOk<ProductDto>($"/products/{product.Id}"));
    }

    [Fact]
    public async Task NullClearsDescriptionAndPriceWhileAbsentKeepsThem()
    {
        using var user = await app.NewUserAsync();
        var product = await user.CreateProductOkAsync("Thing", description: "words", price: 10m);

        var kept = await PatchOkAsync(user, product.Id, """{}""");
        Assert.Equal(("words", (decimal?)10m), (kept.Description, kept.Price));
        var noDescription = await PatchOkAsync(user, product.Id, """{"description":null}""");
        Assert.Equal((null, (decimal?)10m), (noDescription.Description, noDescription.Price));
        var noPrice = await PatchOkAsync(user, product.Id, """{"price":null}""");
        Assert.Equal(((string?)null, (decimal?)null, "Thing"), (noPrice.Description, noPrice.Price, noPrice.Name));
        var again = await PatchOkAsync(user, product.Id, """{"description":"back","price":0}""");
        Assert.Equal(("back", (decimal?)0m), (again.Description, again.Price));
    }

    [Fact]
    public async Task ReorderKeepsEveryImageAndItsObject()
    {
        using var user = await app.NewUserAsync();
        var images = await UploadAsync(user, 3);
        var product = await user.CreateProductOkAsync("Order", images.Select(i => i.Id));
        Guid[] reordered = [images[2].Id, images[0].Id, images[1].Id];

        var patched = await PatchOkAsync(user, product.Id, $$"""{"imageIds":{{AppsApi.Ids(reordered)}}}""");

        Assert.Equal(reordered, patched.Images.Select(i => i.Id));
        Assert.Equal(reordered, (await user.GetFromJsonOk<ProductDto>($"/products/{product.Id}")).Images.Select(i => i.Id));
        var keys = await app.ObjectKeysAsync();
        Assert.All(images, i => Assert.Contains(i.Key, keys));
        Assert.Equal(images[2].Stable(), patched.Images[0].Stable());
    }

    [Fact]
    public async Task AddAndRemoveInOneListDeletesTheRemovedImageWithItsObject()
    {
        using var user = await app.NewUserAsync();
        var images = await UploadAsync(user, 3);
        var product = await user.CreateProductOkAsync("Swap", images.Take(2).Select(i => i.Id));
        var added = await user.DirectUploadOkAsync(TestImages.Gif(77, 7), "image/gif");

        var patched = await PatchOkAsync(user, product.Id, $$"""{"imageIds":{{AppsApi.Ids(images[1].Id, added.Id, images[2].Id)}}}""");

        Assert.Equal([images[1].Id, added.Id, images[2].Id], patched.Images.Select(i => i.Id));
        Assert.Equal(TestImages.Gif(77, 7), await ApiExtensions.DownloadAsync(patched.Images[1].Url));
        await (await user.GetAsync($"/images/{images[0].Id}")).ShouldBeProblem(HttpStatusCode.NotFound);
        var keys = await app.ObjectKeysAsync();
        Assert.DoesNotContain(images[0].Key, keys);
        Assert.All(patched.Images, i => Assert.Contains(i.Key, keys));
    }

    [Fact]
    public async Task EmptyListRemovesEveryImage()
    {
        using var user = await app.NewUserAsync();
        var images = await UploadAsync(user, 2);
        var product = await user.CreateProductOkAsync("Emptied", images.Select(i => i.Id));

        Assert.Empty((await PatchOkAsync(user, product.Id, """{"imageIds":[]}""")).Images);

        var keys = await app.ObjectKeysAsync();
        Assert.All(images, i => Assert.DoesNotContain(i.Key, keys));
        Assert.Empty((await user.GetFromJsonOk<ImagePage>("/images")).Items);
    }

    [Fact]
    public async Task BadImageListsAreRefusedNamingTheIdAndChangeNothing()
    {
        using var user = await app.NewUserAsync();
        using var other = await app.NewUserAsync();
        var images = await UploadAsync(user, 12);
        var product = await user.CreateProductOkAsync("Guarded", [images[0].Id, images[1].Id]);
        var elsewhere = await user.CreateProductOkAsync("Elsewhere", [images[2].Id]);
        var theirs = await other.UploadOkAsync(TestImages.Png());
        var wrongCollection = await user.UploadOkAsync(TestImages.Png(), collection: "small");
        var unknown = Guid.NewGuid();

        foreach (var (ids, bad) in new (Guid[] Ids, Guid? Bad)[]
                 {
                     ([images[0].Id, theirs.Id], theirs.Id),
                     ([images[0].Id, unknown], unknown),
                     ([images[0].Id, images[2].Id], images[2].Id),
                     ([images[0].Id, images[3].Id, images[3].Id], images[3].Id),
                     ([images[0].Id, wrongCollection.Id], wrongCollection.Id),
                     ([.. images.Take(2).Select(i => i.Id), .. images.Skip(3).Select(i => i.Id)], null), // 11
                 })
        {
            var response = await user.PatchAsync($"/products/{product.Id}", AppsApi.Json($$"""{"name":"Changed","imageIds":{{AppsApi.Ids(ids)}}}"""));
            var message = await response.ShouldBeValidationProblem("imageIds");
            if (bad is { } id) Assert.Contains(id.ToString(), message, StringComparison.OrdinalIgnoreCase);
        }

        AppsApi.AssertSameProduct(product, await user.GetFromJsonOk<ProductDto>($"/products/{product.Id}"));
        AppsApi.AssertSameProduct(elsewhere, await user.GetFromJsonOk<ProductDto>($"/products/{elsewhere.Id}"));
        await other.GetFromJsonOk<ImageDto>($"/images/{theirs.Id}");
        var keys = await app.ObjectKeysAsync();
        Assert.All(images, i => Assert.Contains(i.Key, keys));
    }

    [Fact]
    public async Task AnotherUsersPatchIs403AndChangesNothing()
    {
        using var owner = await app.NewUserAsync();
        using var other = await app.NewUserAsync();
        var images = await UploadAsync(owner, 2);
        var product = await owner.CreateProductOkAsync("Mine", images.Select(i => i.Id), "keep", 1m);
        var theirs = await other.UploadOkAsync(TestImages.Png());

        foreach (var json in new[] { """{"name":"Stolen"}""", """{"description":null,"price":null}""", """{"imageIds":[]}""",
                     $$"""{"imageIds":{{AppsApi.Ids(theirs.Id)}}}""", """{}""" })
            await (await other.PatchAsync($"/products/{product.Id}", AppsApi.Json(json))).ShouldBeProblem(HttpStatusCode.Forbidden);

        AppsApi.AssertSameProduct(product, await owner.GetFromJsonOk<ProductDto>($"/products/{product.Id}"));
        var keys = await app.ObjectKeysAsync();
        Assert.All(images, i => Assert.Contains(i.Key, keys));
        await other.GetFromJsonOk<ImageDto>($"/images/{theirs.Id}");
    }

    [Fact]
    public async Task PatchOfAnUnknownProductIs404()
    {
        using var user = await app.NewUserAsync();
        await (await user.PatchAsync($"/products/{Guid.NewGuid()}", AppsApi.Json("""{"name":"x"}"""))).ShouldBeProblem(HttpStatusCode.NotFound);
    }

    private static async Task<ProductDto> PatchOkAsync(HttpClient user, Guid id, string json)
    {
        var response = await user.PatchAsync($"/products/{id}", AppsApi.Json(json));
        await response.ShouldBe(HttpStatusCode.OK);
        return (await response.Content.ReadFromJsonAsync<ProductDto>())!;
    }

    private static async Task<List<ImageDto>> UploadAsync(HttpClient user, int count)
    {
        var images = new List<ImageDto>();
        for (var i = 0; i < count; i++) images.Add(await user.UploadOkAsync(TestImages.Png(20 + i, 10)));
        return images;
    }
}

public sealed class LocalProductsEditTests(LocalApp app) : ProductsEditTests(app), IClassFixture<LocalApp>;

public sealed class S3ProductsEditTests(S3App app) : ProductsEditTests(app), IClassFixture<S3App>;
