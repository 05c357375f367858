using System.Net;
using Amazon.S3;
using Amazon.S3.Model;
using MediaVault.Data;
using MediaVault.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace MediaVault.Tests.Api;

/// <summary>Listing, reading, signing and deleting, against each store.</summary>
public abstract class ReadingTests(MediaVaultApplication app)
{
    [Fact]
    public async Task ListIsNewestFirstAndPagesWithACursor()
    {
        using var user = await app.NewUserAsync();
        var uploaded = new List<Guid>();
        for (var i = 0; i < 5; i++)
        {
            uploaded.Add((await user.UploadOkAsync(TestImages.Png(10 + i, 10))).Id);
            app.Clock.Advance(TimeSpan.FromSeconds(1));
        }

        var seen = new List<Guid>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await user.GetFromJsonOk<ImagePage>("/images?limit=2" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor)));
            Assert.InRange(page.Items.Count, 1, 2);
            seen.AddRange(page.Items.Select(i => i.Id));
            cursor = page.NextCursor;
            pages++;
        } while (cursor is not null);

        Assert.Equal(3, pages);
        Assert.Equal(Enumerable.Reverse(uploaded), seen);
    }

    [Fact]
    public async Task ImagesWithTheSameTimestampAreNeitherSkippedNorRepeated()
    {
        using var user = await app.NewUserAsync();
        var ids = new List<Guid>();
        for (var i = 0; i < 4; i++) ids.Add((await user.UploadOkAsync(TestImages.Png())).Id); // the fake clock stands still
        var first = await user.GetFromJsonOk<ImagePage>("/images?limit=3");
        var second = await user.GetFromJsonOk<ImagePage>("/images?limit=3&cursor=" + Uri.EscapeDataString(first.NextCursor!));
        Assert.Equal(ids.Order(), first.Items.Concat(second.Items).Select(i => i.Id).Order());
        Assert.Null(second.NextCursor);
    }

    [Theory]
    [InlineData("/images?cursor=garbage")]
    [InlineData("/images?cursor=MTIzLnh5eg")]
    [InlineData("/images?limit=0")]
    [InlineData("/images?limit=501")]
    [InlineData("/images?limit=abc")]
    public async Task BadListParametersAre400(string path)
    {
        using var user = await app.NewUserAsync();
        await (await user.GetAsync(path)).ShouldBeProblem(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task GetReturnsTheImageWithAFreshUrl()
    {
        using var user = await app.NewUserAsync();
        var image = await user.UploadOkAsync(TestImages.Png());
        var read = await user.GetFromJsonOk<ImageDto>($"/images/{image.Id}");
        Assert.Equal(image with { Url = "", UrlExpiresAt = null }, read with { Url = "", UrlExpiresAt = null });
        Assert.Equal(TestImages.Png(), await ApiExtensions.DownloadAsync(read.Url));
    }

    [Fact]
    public async Task SignedUrlEndpointsAnswerForOwnImages()
    {
        using var user = await app.NewUserAsync();
        var png = TestImages.Png();
        var image = await user.UploadOkAsync(png);
        var byId = await user.GetFromJsonOk<SignedUrl>($"/images/{image.Id}/signed-url");
        var byKey = await user.GetFromJsonOk<SignedUrl>($"/images/signed-url?key={Uri.EscapeDataString(image.Key)}");
        Assert.Equal(png, await ApiExtensions.DownloadAsync(byId.Url));
        Assert.Equal(png, await ApiExtensions.DownloadAsync(byKey.Url));
        Assert.NotNull(byId.ExpiresAt);
    }

    [Fact]
    public async Task ResponsesWithSignedUrlsAreNotCached()
    {
        using var user = await app.NewUserAsync();
        var image = await user.UploadOkAsync(TestImages.Png());
        foreach (var path in new[] { "/images", $"/images/{image.Id}", $"/images/{image.Id}/signed-url" })
        {
            var response = await user.GetAsync(path);
            Assert.True(response.Headers.CacheControl?.NoStore, path);
        }
    }

    [Fact]
    public async Task DeleteRemovesTheRowAndTheObject()
    {
        using var user = await app.NewUserAsync();
        var image = await user.UploadOkAsync(TestImages.Png());
        Assert.Contains(image.Key, await app.ObjectKeysAsync());

        await (await user.DeleteAsync($"/images/{image.Id}")).ShouldBe(HttpStatusCode.NoContent);

        await (await user.GetAsync($"/images/{image.Id}")).ShouldBeProblem(HttpStatusCode.NotFound);
        Assert.DoesNotContain(image.Key, await app.ObjectKeysAsync());
        await (await user.DeleteAsync($"/images/{image.Id}")).ShouldBeProblem(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task CannotReadAnotherUsersImage()
    {
        using var owner = await app.NewUserAsync();
        using var other = await app.NewUserAsync();
        var image = await owner.UploadOkAsync(TestImages.Png());

        foreach (var path in new[] { $"/images/{image.Id}", $"/images/{image.Id}/signed-url", $"/images/signed-url?key={Uri.EscapeDataString(image.Key)}" })
            await (await other.GetAsync(path)).ShouldBeProblem(HttpStatusCode.NotFound);
        await (await other.DeleteAsync($"/images/{image.Id}")).ShouldBeProblem(HttpStatusCode.NotFound);
        Assert.Empty((await other.GetFromJsonOk<ImagePage>("/images")).Items);
        // ...and it is indistinguishable from an image that does not exist.
        var missing = await other.GetAsync($"/images/{Guid.NewGuid()}");
        await missing.ShouldBeProblem(HttpStatusCode.NotFound);
        await owner.GetFromJsonOk<ImageDto>($"/images/{image.Id}");
    }

    [Fact]
    public async Task LegacyFullUrlsArePassedThrough()
    {
        using var user = await app.NewUserAsync();
        var uploaded = await user.UploadOkAsync(TestImages.Png());
        string ownerId;
        using (var scope = app.Services.CreateScope())
            ownerId = scope.ServiceProvider.GetRequiredService<MediaVaultDb>().Images.Single(i => i.Id == uploaded.Id).OwnerId;
        var legacy = new MediaVault.Images.Image
        {
            Id = Guid.NewGuid(), OwnerId = ownerId, Collection = "images", Key = "https://cdn.example.com/old/photo.jpg",
            Filename = "photo.jpg", ContentType = "image/jpeg", Size = 1, Width = 1, Height = 1, CreatedAt = DateTime.UtcNow.AddYears(-1),
        };
        using (var scope = app.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<MediaVaultDb>();
            db.Images.Add(legacy);
            await db.SaveChangesAsync();
        }

        var read = await user.GetFromJsonOk<ImageDto>($"/images/{legacy.Id}");
        Assert.Equal(legacy.Key, read.Url);
        Assert.Null(read.UrlExpiresAt);
        var signed = await user.GetFromJsonOk<SignedUrl>($"/images/signed-url?key={Uri.EscapeDataString(legacy.Key)}");
        Assert.Equal(legacy.Key, signed.Url);
        // Every endpoint that returns a URL passes a stored full URL through (seed 004's rows).
        Assert.Equal(legacy.Key, (await user.GetFromJsonOk<SignedUrl>($"/images/{legacy.Id}/signed-url")).Url);
        var listed = (await user.GetFromJsonOk<ImagePage>("/images")).Items.Single(i => i.Id == legacy.Id);
        Assert.Equal((legacy.Key, (DateTimeOffset?)null), (listed.Url, listed.UrlExpiresAt));
        await (await user.DeleteAsync($"/images/{legacy.Id}")).ShouldBe(HttpStatusCode.NoContent);
    }

    [Fact]
    public async Task PublicCollectionGetsCleanCacheableUrls()
    {
        using var user = await app.NewUserAsync();
        var png = TestImages.Png();
        var image = await user.UploadOkAsync(png, collection: "public");
        Assert.Null(image.UrlExpiresAt);
        Assert.DoesNotContain("?", image.Url);
        Assert.Equal(png, await ApiExtensions.DownloadAsync(image.Url));

        var direct = await user.DirectUploadOkAsync(TestImages.Gif(), "image/gif", collection: "public");
        Assert.Equal(TestImages.Gif(), await ApiExtensions.DownloadAsync(direct.Url));
    }

    [Fact]
    public async Task UrlLifetimeFollowsTheCollection()
    {
        using var user = await app.NewUserAsync();
        var image = await user.UploadOkAsync(TestImages.Png(), collection: "short");
        Assert.InRange(image.UrlExpiresAt!.Value - app.Clock.GetUtcNow(), TimeSpan.FromMinutes(4), TimeSpan.FromMinutes(5));
    }
}

public sealed class LocalReadingTests(LocalApp app) : ReadingTests(app), IClassFixture<LocalApp>
{
    [Fact]
    public async Task UnsignedPublicUrlsCannotChooseTheirResponseHeaders()
    {
        using var user = await app.NewUserAsync();
        var image = await user.UploadOkAsync(TestImages.Gif(), "a.gif", "image/gif", collection: "public");
        var asHtml = await ApiExtensions.FetchAsync(image.Url + "?response-content-type=text%2Fhtml");
        await asHtml.ShouldBeProblem(HttpStatusCode.Forbidden);
        var plain = await ApiExtensions.FetchAsync(image.Url);
        Assert.Equal("image/gif", plain.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task ExpiredSignedUrlIsRefused()
    {
        using var user = await app.NewUserAsync();
        var image = await user.UploadOkAsync(TestImages.Png(), collection: "short");
        await (await ApiExtensions.FetchAsync(image.Url)).ShouldBe(HttpStatusCode.OK);
        app.Clock.Advance(TimeSpan.FromMinutes(6));
        await (await ApiExtensions.FetchAsync(image.Url)).ShouldBeProblem(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task TamperedSignedUrlIsRefused()
    {
        using var user = await app.NewUserAsync();
        var image = await user.UploadOkAsync(TestImages.Png());
        var other = await user.UploadOkAsync(TestImages.Png());
        var tampered = image.Url.Replace("image%2Fpng", "text%2Fhtml");
        await (await ApiExtensions.FetchAsync(tampered)).ShouldBeProblem(HttpStatusCode.Forbidden);
        var otherKey = image.Url.Replace(image.Key, other.Key);
        await (await ApiExtensions.FetchAsync(otherKey)).ShouldBeProblem(HttpStatusCode.Forbidden);
    }
}

public sealed class S3ReadingTests(S3App app) : ReadingTests(app), IClassFixture<S3App>
{
    // Buckets made on AWS since April 2023 refuse object ACLs: public reads come from the bucket policy on the
    // collection's prefix, and nothing else in the bucket is readable without a signature.
    [Fact]
    public async Task PublicObjectsAreReadableThroughThePolicyWithNoAclAndPrivateOnesAreNot()
    {
        using var user = await app.NewUserAsync();
        var open = await user.UploadOkAsync(TestImages.Png(), collection: "public");
        var closed = await user.UploadOkAsync(TestImages.Png());
        var s3 = app.Services.GetRequiredService<IAmazonS3>();

        Assert.Equal(HttpStatusCode.OK, (await ApiExtensions.FetchAsync(open.Url)).StatusCode);
        var unsigned = open.Url.Replace(open.Key, closed.Key);
        Assert.Equal(HttpStatusCode.Forbidden, (await ApiExtensions.FetchAsync(unsigned)).StatusCode);
        foreach (var key in new[] { open.Key, closed.Key })
        {
            var acl = await s3.GetObjectAclAsync(new GetObjectAclRequest { BucketName = app.Bucket, Key = key });
            Assert.All(acl.Grants ?? [], g => Assert.Null(g.Grantee.URI)); // no AllUsers / AuthenticatedUsers grant
        }
        var policy = (await s3.GetBucketPolicyAsync(new GetBucketPolicyRequest { BucketName = app.Bucket })).Policy;
        Assert.Contains($"arn:aws:s3:::{app.Bucket}/public/*", policy);
        Assert.DoesNotContain($"arn:aws:s3:::{app.Bucket}/images/", policy);
    }
}
