using System.Net;
using MediaVault.Tests.Infrastructure;

namespace MediaVault.Tests.Apps;

/// <summary>DELETE /products/{id} takes its images and their objects along; DELETE /images/{id} takes an image off its product.</summary>
public abstract class ProductsDeleteTests(MediaVaultApplication app)
{
    [Fact]
    public async Task DeleteRemovesTheProductItsImagesAndTheirObjects()
    {
        using var user = await app.NewUserAsync();
        var proxied = await user.UploadOkAsync(TestImages.Png());
        var direct = await user.DirectUploadOkAsync(TestImages.Jpeg(), "image/jpeg");
        var kept = await user.UploadOkAsync(TestImages.Png()); // not on the product
        var product = await user.CreateProductOkAsync("Gone", [proxied.Id, direct.Id]);
        var keysBefore = await app.ObjectKeysAsync();
        Assert.Contains(proxied.Key, keysBefore);

        await (await user.DeleteAsync($"/products/{product.Id}")).ShouldBe(HttpStatusCode.NoContent);

        await (await user.GetAsync($"/products/{product.Id}")).ShouldBeProblem(HttpStatusCode.NotFound);
        Assert.DoesNotContain(product.Id, (await user.AllProductsAsync()).Select(p => p.Id));
        foreach (var image in new[] { proxied, direct })
            await (await user.GetAsync($"/images/{image.Id}")).ShouldBeProblem(HttpStatusCode.NotFound);
        Assert.Equal(keysBefore.Except([proxied.Key, direct.Key]), await app.ObjectKeysAsync());
        Assert.Equal([kept.Id], (await user.GetFromJsonOk<ImagePage>("/images")).Items.Select(i => i.Id));
        await (await user.DeleteAsync($"/products/{product.Id}")).ShouldBeProblem(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task DeletingAMultipartProductLeavesNoObjectBehind()
    {
        using var user = await app.NewUserAsync();
        var keysBefore = await app.ObjectKeysAsync();
        var response = await user.CreateProductMultipartAsync("Both ways", [new(TestImages.Png()), new(TestImages.Gif(), "a.gif", "image/gif")]);
        await response.ShouldBe(HttpStatusCode.Created);
        var product = (await System.Net.Http.Json.HttpContentJsonExtensions.ReadFromJsonAsync<ProductDto>(response.Content))!;

        await (await user.DeleteAsync($"/products/{product.Id}")).ShouldBe(HttpStatusCode.NoContent);

        Assert.Equal(keysBefore, await app.ObjectKeysAsync());
        Assert.Empty((await user.GetFromJsonOk<ImagePage>("/images")).Items);
    }

    [Fact]
    public async Task AnotherUsersDeleteIs403AndKeepsEverything()
    {
        using var owner = await app.NewUserAsync();
        using var other = await app.NewUserAsync();
        var image = await owner.UploadOkAsync(TestImages.Png());
        var product = await owner.CreateProductOkAsync("Mine", [image.Id]);

        await (await other.DeleteAsync($"/products/{product.Id}")).ShouldBeProblem(HttpStatusCode.Forbidden);

        AppsApi.AssertSameProduct(product, await owner.GetFromJsonOk<ProductDto>($"/products/{product.Id}"));
        Assert.Contains(image.Key, await app.ObjectKeysAsync());
        // Nor can they delete its image: another user's image is a 404, as everywhere.
        await (await other.DeleteAsync($"/images/{image.Id}")).ShouldBeProblem(HttpStatusCode.NotFound);
        Assert.Single((await owner.GetFromJsonOk<ProductDto>($"/products/{product.Id}")).Images);
    }

    [Fact]
    public async Task DeleteOfAnUnknownProductIs404()
    {
        using var user = await app.NewUserAsync();
        await (await user.DeleteAsync($"/products/{Guid.NewGuid()}")).ShouldBeProblem(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task DeletingAnImageTakesItOffItsProductKeepingTheOrderOfTheRest()
    {
        using var user = await app.NewUserAsync();
        var a = await user.UploadOkAsync(TestImages.Png(11, 5));
        var b = await user.UploadOkAsync(TestImages.Png(12, 5));
        var c = await user.UploadOkAsync(TestImages.Png(13, 5));
        var product = await user.CreateProductOkAsync("Three", [c.Id, a.Id, b.Id]);

        await (await user.DeleteAsync($"/images/{a.Id}")).ShouldBe(HttpStatusCode.NoContent);

        var read = await user.GetFromJsonOk<ProductDto>($"/products/{product.Id}");
        Assert.Equal([c.Id, b.Id], read.Images.Select(i => i.Id));
        Assert.DoesNotContain(a.Key, await app.ObjectKeysAsync());
        // The list is whole again: the remaining images can be reordered, and the deleted one is unknown.
        var patch = await user.PatchAsync($"/products/{product.Id}", AppsApi.Json($$"""{"imageIds":{{AppsApi.Ids(b.Id, c.Id)}}}"""));
        await patch.ShouldBe(HttpStatusCode.OK);
        var again = await user.PatchAsync($"/products/{product.Id}", AppsApi.Json($$"""{"imageIds":{{AppsApi.Ids(a.Id)}}}"""));
        await again.ShouldBeValidationProblem("imageIds");
    }

    [Fact]
    public async Task AnImageFreedByDeletingItsProductIsGoneNotReusable()
    {
        using var user = await app.NewUserAsync();
        var image = await user.UploadOkAsync(TestImages.Png());
        var product = await user.CreateProductOkAsync("Once", [image.Id]);
        await (await user.DeleteAsync($"/products/{product.Id}")).ShouldBe(HttpStatusCode.NoContent);
        var response = await user.PostAsync("/products", AppsApi.Json($$"""{"name":"Twice","imageIds":{{AppsApi.Ids(image.Id)}}}"""));
        Assert.Contains(image.Id.ToString(), await response.ShouldBeValidationProblem("imageIds"), StringComparison.OrdinalIgnoreCase);
    }
}

public sealed class LocalProductsDeleteTests(LocalApp app) : ProductsDeleteTests(app), IClassFixture<LocalApp>;

public sealed class S3ProductsDeleteTests(S3App app) : ProductsDeleteTests(app), IClassFixture<S3App>;
