using System.Net;
using MediaVault.Data;
using MediaVault.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace MediaVault.Tests.Apps;

/// <summary>GET /products and GET /products/{id}: every signed-in user reads every product.</summary>
public abstract class ProductsListTests(MediaVaultApplication app)
{
    [Fact]
    public async Task ListIsEveryUsersProductsNewestFirstPagedWithACursor()
    {
        using var alice = await app.NewUserAsync();
        using var bob = await app.NewUserAsync();
        app.Clock.Advance(TimeSpan.FromSeconds(1)); // strictly newer than the products earlier tests made
        var created = new List<Guid>();
        for (var i = 0; i < 5; i++)
        {
            created.Add((await (i % 2 == 0 ? alice : bob).CreateProductOkAsync($"Item {i}")).Id);
            app.Clock.Advance(TimeSpan.FromSeconds(1));
        }

        var seen = new List<ProductDto>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await alice.GetFromJsonOk<ProductPage>("/products?limit=2" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor)));
            Assert.InRange(page.Items.Count, 1, 2);
            seen.AddRange(page.Items);
            cursor = page.NextCursor;
            pages++;
        } while (cursor is not null);

        // Ours are the newest, so they come first; earlier tests' products follow, never repeated.
        Assert.Equal(Enumerable.Reverse(created), seen.Take(5).Select(p => p.Id));
        Assert.Equal(seen.Count, seen.Select(p => p.Id).Distinct().Count());
        Assert.Equal(seen.OrderByDescending(p => p.CreatedAt).Select(p => p.CreatedAt), seen.Select(p => p.CreatedAt));
        Assert.Equal((seen.Count + 1) / 2, pages);
        Assert.Equal(seen.Select(p => p.Id), (await bob.AllProductsAsync()).Select(p => p.Id));
    }

    [Fact]
    public async Task ProductsWithTheSameTimestampAreNeitherSkippedNorRepeated()
    {
        using var user = await app.NewUserAsync();
        app.Clock.Advance(TimeSpan.FromSeconds(1));
        var ids = new List<Guid>();
        for (var i = 0; i < 5; i++) ids.Add((await user.CreateProductOkAsync($"Same {i}")).Id); // the fake clock stands still
        var first = await user.GetFromJsonOk<ProductPage>("/products?limit=3");
        var second = await user.GetFromJsonOk<ProductPage>("/products?limit=3&cursor=" + Uri.EscapeDataString(first.NextCursor!));
        var seen = first.Items.Concat(second.Items).Select(p => p.Id).ToList();
        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.Equal(ids.Order(), seen.Take(5).Order());
    }

    [Fact]
    public async Task DefaultPageIsTwentyAndOneHundredIsTheMost()
    {
        using var user = await app.NewUserAsync();
        for (var i = 0; i < 21; i++) await user.CreateProductOkAsync($"Filler {i}");
        var page = await user.GetFromJsonOk<ProductPage>("/products");
        Assert.Equal(20, page.Items.Count);
        Assert.NotNull(page.NextCursor);
        var one = await user.GetFromJsonOk<ProductPage>("/products?limit=1");
        Assert.Single(one.Items);
        Assert.NotNull(one.NextCursor);
        Assert.InRange((await user.GetFromJsonOk<ProductPage>("/products?limit=100")).Items.Count, 21, 100);
    }

    [Theory]
    [InlineData("/products?limit=0")]
    [InlineData("/products?limit=-1")]
    [InlineData("/products?limit=101")]
    [InlineData("/products?limit=abc")]
    [InlineData("/products?limit=99999999999")]
    [InlineData("/products?cursor=garbage")]
    [InlineData("/products?cursor=MTIzLnh5eg")]
    [InlineData("/products?cursor=")]
    public async Task BadListParametersAre400(string path)
    {
        using var user = await app.NewUserAsync();
        await (await user.GetAsync(path)).ShouldBeProblem(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task AnotherUserReadsTheProductAndItsImages()
    {
        using var owner = await app.NewUserAsync();
        using var reader = await app.NewUserAsync();
        var png = TestImages.Png(61, 30);
        var image = await owner.UploadOkAsync(png);
        var product = await owner.CreateProductOkAsync("Shared", [image.Id], "for all", 3m);

        var read = await reader.GetFromJsonOk<ProductDto>($"/products/{product.Id}");
        AppsApi.AssertSameProduct(product, read);
        Assert.Equal(png, await ApiExtensions.DownloadAsync(read.Images[0].Url));
        Assert.Contains(product.Id, (await reader.AllProductsAsync()).Select(p => p.Id));
        // Reading a product does not make its images the reader's.
        await (await reader.GetAsync($"/images/{image.Id}")).ShouldBeProblem(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task EveryReadSignsAFreshUrl()
    {
        using var user = await app.NewUserAsync();
        var product = await user.CreateProductOkAsync("Fresh", [(await user.UploadOkAsync(TestImages.Png())).Id]);
        app.Clock.Advance(TimeSpan.FromMinutes(1)); // small: S3 signatures dated far ahead of the server's clock are refused
        var read = await user.GetFromJsonOk<ProductDto>($"/products/{product.Id}");
        Assert.True(read.Images[0].UrlExpiresAt > product.Images[0].UrlExpiresAt, "a later read hands out a URL that lives longer");
        var listed = (await user.AllProductsAsync()).Single(p => p.Id == product.Id);
        Assert.Equal(read.Images[0].UrlExpiresAt, listed.Images[0].UrlExpiresAt);
        Assert.True((await user.GetAsync($"/products/{product.Id}")).Headers.CacheControl?.NoStore);
        Assert.True((await user.GetAsync("/products")).Headers.CacheControl?.NoStore);
    }

    [Fact]
    public async Task UnknownProductIs404()
    {
        using var user = await app.NewUserAsync();
        await (await user.GetAsync($"/products/{Guid.NewGuid()}")).ShouldBeProblem(HttpStatusCode.NotFound);
        await (await user.GetAsync("/products/not-a-guid")).ShouldBeProblem(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task SameOwnerIdOnEveryProductOfAUserAndAnotherForOthers()
    {
        using var alice = await app.NewUserAsync();
        using var bob = await app.NewUserAsync();
        var a1 = await alice.CreateProductOkAsync("A1");
        var a2 = await alice.CreateProductOkAsync("A2");
        var b1 = await bob.CreateProductOkAsync("B1");
        Assert.Equal(a1.OwnerId, a2.OwnerId);
        Assert.NotEqual(a1.OwnerId, b1.OwnerId);
        Assert.Equal((await alice.GetFromJsonOk<ProfileDto>("/profile")).UserId, a1.OwnerId);
    }

    [Fact]
    public async Task LegacyFullUrlImagesOnAProductArePassedThroughAndDeleteCleanly()
    {
        using var user = await app.NewUserAsync();
        var stored = await user.UploadOkAsync(TestImages.Png());
        const string url = "https://cdn.example.com/old/product.jpg";
        var legacyId = Guid.NewGuid();
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<MediaVaultDb>();
            var ownerId = (await db.Images.SingleAsync(i => i.Id == stored.Id)).OwnerId;
            db.Images.Add(new MediaVault.Images.Image
            {
                Id = legacyId, OwnerId = ownerId, Collection = "images", Key = url, Filename = "product.jpg", ContentType = "image/jpeg",
                Size = 1, Width = 1, Height = 1, CreatedAt = DateTime.UtcNow.AddYears(-1),
            });
            await db.SaveChangesAsync();
        }
        var keys = await app.ObjectKeysAsync();

        var product = await user.CreateProductOkAsync("Old and new", [legacyId, stored.Id]);

        Assert.Equal((url, (DateTimeOffset?)null), (product.Images[0].Url, product.Images[0].UrlExpiresAt));
        var read = await user.GetFromJsonOk<ProductDto>($"/products/{product.Id}");
        Assert.Equal((url, (DateTimeOffset?)null), (read.Images[0].Url, read.Images[0].UrlExpiresAt));
        Assert.Equal(TestImages.Png(), await ApiExtensions.DownloadAsync(read.Images[1].Url));
        await (await user.DeleteAsync($"/products/{product.Id}")).ShouldBe(HttpStatusCode.NoContent);
        Assert.Equal(keys.Except([stored.Key]), await app.ObjectKeysAsync());
        await (await user.GetAsync($"/images/{legacyId}")).ShouldBeProblem(HttpStatusCode.NotFound);
    }
}

public sealed class LocalProductsListTests(LocalApp app) : ProductsListTests(app), IClassFixture<LocalApp>;

public sealed class S3ProductsListTests(S3App app) : ProductsListTests(app), IClassFixture<S3App>;
