using System.Net;
using System.Net.Http.Json;
using System.Text;
using MediaVault.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace MediaVault.Tests.Api;

/// <summary>presign-upload, the upload straight to storage, then POST /images, against each store.</summary>
public abstract class DirectUploadTests(MediaVaultApplication app)
{
    [Fact]
    public async Task PresignPutAnswersTheContract()
    {
        using var user = await app.NewUserAsync();
        var p = await user.PresignAsync("cat.png", "image/png", 1234);

        Assert.Equal("PUT", p.Method);
        Assert.StartsWith("staging/", p.Key);
        Assert.True(Uri.TryCreate(p.Url, UriKind.Absolute, out _), p.Url);
        Assert.Equal(new Dictionary<string, string> { ["Content-Type"] = "image/png" }, p.Headers);
        Assert.Empty(p.Fields);
        Assert.InRange(p.ExpiresAt - DateTimeOffset.UtcNow, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(15));
    }

    [Fact]
    public async Task PresignWithoutSizeAnswersSeed001sClient()
    {
        using var user = await app.NewUserAsync();
        // Seed 001 sends exactly this, and reads {url, key}.
        var response = await user.PostAsJsonAsync("/images/presign-upload", new { filename = "cat.png", filetype = "image/png" });
        await response.ShouldBe(HttpStatusCode.OK);
        var p = (await response.Content.ReadFromJsonAsync<PresignResponse>())!;
        Assert.StartsWith("staging/", p.Key);
        var png = TestImages.Png();
        (await ApiExtensions.SendToStorageAsync(p, png)).EnsureSuccessStatusCode();
        await (await user.CompleteAsync(p.UploadId, "cat.png")).ShouldBe(HttpStatusCode.Created);
    }

    [Fact]
    public async Task UnsizedUploadOverTheLimitIsRefusedAtRegistrationAndDeleted()
    {
        using var user = await app.NewUserAsync();
        var response = await user.PostAsJsonAsync("/images/presign-upload", new { filename = "big.png", filetype = "image/png", collection = "small" });
        var p = (await response.Content.ReadFromJsonAsync<PresignResponse>())!;
        (await ApiExtensions.SendToStorageAsync(p, TestImages.PaddedPng(30_000))).EnsureSuccessStatusCode(); // "small" allows 20,000 bytes
        await (await user.CompleteAsync(p.UploadId, "big.png")).ShouldBeProblem(HttpStatusCode.RequestEntityTooLarge);
        Assert.DoesNotContain(p.Key, await app.ObjectKeysAsync());
    }

    [Fact]
    public async Task UnsizedPostPolicyStillPinsTheCollectionsLimit()
    {
        using var user = await app.NewUserAsync();
        var response = await user.PostAsJsonAsync("/images/presign-upload", new { filename = "big.png", filetype = "image/png", collection = "small", method = "POST" });
        var p = (await response.Content.ReadFromJsonAsync<PresignResponse>())!;
        var stored = await ApiExtensions.SendToStorageAsync(p, TestImages.PaddedPng(30_000));
        Assert.False(stored.IsSuccessStatusCode, $"storage took {stored.StatusCode} past the policy's length range");
    }

    [Fact]
    public async Task PresignPostPinsKeyTypeAndSize()
    {
        using var user = await app.NewUserAsync();
        var p = await user.PresignAsync("cat.png", "image/png", 1234, method: "POST");
        Assert.Equal("POST", p.Method);
        Assert.Equal(p.Key, p.Fields["key"]);
        Assert.Equal("image/png", p.Fields["Content-Type"]);
        Assert.Empty(p.Headers);
    }

    [Theory]
    [InlineData("PUT")]
    [InlineData("POST")]
    public async Task UploadedFileBecomesAnImageAtItsFinalKey(string method)
    {
        using var user = await app.NewUserAsync();
        var png = TestImages.Png(33, 22);
        var p = await user.PresignAsync("a.png", "image/png", png.Length, method: method);
        var stored = await ApiExtensions.SendToStorageAsync(p, png);
        Assert.True(stored.IsSuccessStatusCode, $"{stored.StatusCode}");
        // AWS answers both with an ETag; Ceph RGW 16 omits it on a form POST (its quirk, not ours).
        if (method == "PUT" || app.Store == StoreKind.Local)
            Assert.True(stored.Headers.TryGetValues("ETag", out _), $"storage answers a write with an ETag, as S3 does: {stored.Headers}");

        var response = await user.CompleteAsync(p.UploadId, "a.png");
        await response.ShouldBe(HttpStatusCode.Created);
        var image = (await response.Content.ReadFromJsonAsync<ImageDto>())!;
        Assert.Equal((33, 22, "image/png"), (image.Width, image.Height, image.ContentType));
        Assert.Matches($"^images/{image.Id:N}\\.png$", image.Key); // nothing says who uploaded it
        Assert.Equal(png, await ApiExtensions.DownloadAsync(image.Url));
        Assert.DoesNotContain(p.Key, await app.ObjectKeysAsync());
    }

    [Fact]
    public async Task CompleteByKeyWorksToo()
    {
        using var user = await app.NewUserAsync();
        var png = TestImages.Png();
        var p = await user.PresignAsync("a.png", "image/png", png.Length);
        await ApiExtensions.SendToStorageAsync(p, png);
        var response = await user.PostAsJsonAsync("/images", new { key = p.Key, filename = "a.png", filetype = "image/png" });
        await response.ShouldBe(HttpStatusCode.Created);
    }

    [Theory]
    [InlineData("image/svg+xml")]
    [InlineData("text/html")]
    [InlineData("application/pdf")]
    public async Task PresignRefusesTypesOutsideTheCollection(string type)
    {
        using var user = await app.NewUserAsync();
        var response = await user.PostAsJsonAsync("/images/presign-upload", new { filename = "x", filetype = type, size = 10 });
        await response.ShouldBeProblem(HttpStatusCode.UnsupportedMediaType);
    }

    [Fact]
    public async Task PresignRefusesSizeOverTheLimit()
    {
        using var user = await app.NewUserAsync();
        var response = await user.PostAsJsonAsync("/images/presign-upload", new { filename = "x.png", filetype = "image/png", size = 5 * 1024 * 1024 + 1 });
        await response.ShouldBeProblem(HttpStatusCode.RequestEntityTooLarge);
    }

    [Theory]
    [InlineData("{\"filename\":\"x.png\",\"filetype\":\"image/png\",\"size\":0}")]
    [InlineData("{\"filename\":\"x.png\",\"filetype\":\"image/png\",\"size\":10,\"method\":\"DELETE\"}")]
    [InlineData("{\"filename\":\"x.png\",\"filetype\":\"image/png\",\"size\":10,\"collection\":\"nope\"}")]
    [InlineData("{\"filename\":\"x.png\",\"filetype\":\"image/png\"")]
    [InlineData("{\"filename\":\"x.png\",\"filetype\":\"image/png\",\"size\":\"big\"}")]
    [InlineData("not json")]
    public async Task PresignRefusesBadRequests(string json)
    {
        using var user = await app.NewUserAsync();
        var response = await user.PostAsync("/images/presign-upload", new StringContent(json, Encoding.UTF8, "application/json"));
        await response.ShouldBeProblem(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task ValidationErrorsNameTheJsonField()
    {
        using var user = await app.NewUserAsync();
        var response = await user.PostAsJsonAsync("/images/presign-upload", new { filename = "x.png", filetype = "image/png", size = 0 });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
        Assert.True(body.GetProperty("errors").TryGetProperty("size", out _), body.ToString());
    }

    [Fact]
    public async Task EmptyCollectionNameMeansTheDefaultCollection()
    {
        using var user = await app.NewUserAsync();
        var image = await user.DirectUploadOkAsync(TestImages.Png(), collection: "");
        Assert.Equal("images", image.Collection);
    }

    [Fact]
    public async Task CompletingBeforeTheUploadIs409AndCanBeRetried()
    {
        using var user = await app.NewUserAsync();
        var png = TestImages.Png();
        var p = await user.PresignAsync("a.png", "image/png", png.Length);
        await (await user.CompleteAsync(p.UploadId)).ShouldBeProblem(HttpStatusCode.Conflict);

        await ApiExtensions.SendToStorageAsync(p, png);
        await (await user.CompleteAsync(p.UploadId)).ShouldBe(HttpStatusCode.Created);
    }

    [Fact]
    public async Task MismatchedContentIsRefusedAndDeleted()
    {
        using var user = await app.NewUserAsync();
        var p = await user.PresignAsync("a.jpg", "image/jpeg", 100);
        await ApiExtensions.SendToStorageAsync(p, TestImages.Png());
        await (await user.CompleteAsync(p.UploadId, "a.jpg", "image/jpeg")).ShouldBeProblem(HttpStatusCode.UnprocessableEntity);
        Assert.DoesNotContain(p.Key, await app.ObjectKeysAsync());
        // A refused upload stays refused.
        await (await user.CompleteAsync(p.UploadId, "a.jpg", "image/jpeg")).ShouldBeProblem(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task HtmlUploadedAsImageIsRefusedAndDeleted()
    {
        using var user = await app.NewUserAsync();
        var p = await user.PresignAsync("a.png", "image/png", 100);
        await ApiExtensions.SendToStorageAsync(p, Encoding.UTF8.GetBytes("<html><script>alert(1)</script></html>"));
        await (await user.CompleteAsync(p.UploadId)).ShouldBeProblem(HttpStatusCode.UnsupportedMediaType);
        Assert.DoesNotContain(p.Key, await app.ObjectKeysAsync());
    }

    [Fact]
    public async Task OversizedObjectIsRefusedAndDeleted()
    {
        using var user = await app.NewUserAsync();
        var p = await user.PresignAsync("a.png", "image/png", 1000, collection: "small");
        // A PUT URL cannot bound the size; the server checks what arrived.
        await ApiExtensions.SendToStorageAsync(p, TestImages.PaddedPng(30_000));
        await (await user.CompleteAsync(p.UploadId)).ShouldBeProblem(HttpStatusCode.RequestEntityTooLarge);
        Assert.DoesNotContain(p.Key, await app.ObjectKeysAsync());
    }

    [Fact]
    public async Task ObjectJustOverTheDefaultLimitIs413AtRegistration()
    {
        using var user = await app.NewUserAsync();
        var p = await user.PresignAsync("a.png", "image/png", 5 * 1024 * 1024);
        var stored = await ApiExtensions.SendToStorageAsync(p, TestImages.PaddedPng(5 * 1024 * 1024 + 1));
        Assert.True(stored.IsSuccessStatusCode, $"a PUT URL takes any size, as on S3: {stored.StatusCode}");
        await (await user.CompleteAsync(p.UploadId)).ShouldBeProblem(HttpStatusCode.RequestEntityTooLarge);
        Assert.DoesNotContain(p.Key, await app.ObjectKeysAsync());
    }

    [Fact]
    public async Task RegisteringAsAnotherTypeThanPresignedIs422()
    {
        using var user = await app.NewUserAsync();
        var p = await user.PresignAsync("a.jpg", "image/jpeg", 100);
        await ApiExtensions.SendToStorageAsync(p, TestImages.Png());
        await (await user.CompleteAsync(p.UploadId, "a.png", "image/png")).ShouldBeProblem(HttpStatusCode.UnprocessableEntity);
    }

    [Fact]
    public async Task PostPolicyMakesStorageRefuseOversizedFiles()
    {
        using var user = await app.NewUserAsync();
        var p = await user.PresignAsync("a.png", "image/png", 1000, collection: "small", method: "POST");
        var response = await ApiExtensions.SendToStorageAsync(p, TestImages.PaddedPng(30_000));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.DoesNotContain(p.Key, await app.ObjectKeysAsync());
    }

    [Fact]
    public async Task PutWithAnotherContentTypeIsRefusedByStorage()
    {
        using var user = await app.NewUserAsync();
        var p = await user.PresignAsync("a.png", "image/png", 1000);
        var response = await ApiExtensions.SendToStorageAsync(p, TestImages.Png(), contentTypeOverride: "text/html");
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task EmptyObjectIsRefused()
    {
        using var user = await app.NewUserAsync();
        var p = await user.PresignAsync("a.png", "image/png", 10);
        await ApiExtensions.SendToStorageAsync(p, []);
        await (await user.CompleteAsync(p.UploadId)).ShouldBeProblem(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task CompletingTwiceYieldsTheSameImage()
    {
        using var user = await app.NewUserAsync();
        var png = TestImages.Png();
        var p = await user.PresignAsync("a.png", "image/png", png.Length);
        await ApiExtensions.SendToStorageAsync(p, png);
        var first = await (await user.CompleteAsync(p.UploadId)).Content.ReadFromJsonAsync<ImageDto>();
        var second = await user.CompleteAsync(p.UploadId);
        await second.ShouldBe(HttpStatusCode.Created);
        Assert.Equal(first!.Id, (await second.Content.ReadFromJsonAsync<ImageDto>())!.Id);
        Assert.Single((await user.GetFromJsonOk<ImagePage>("/images")).Items);
    }

    [Fact]
    public async Task FiftyConcurrentCompletionsYieldExactlyOneImage()
    {
        using var user = await app.NewUserAsync();
        var png = TestImages.Png();
        var p = await user.PresignAsync("a.png", "image/png", png.Length);
        await ApiExtensions.SendToStorageAsync(p, png);

        var responses = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => user.CompleteAsync(p.UploadId)));

        Assert.All(responses, r => Assert.Contains(r.StatusCode, new[] { HttpStatusCode.Created, HttpStatusCode.Conflict }));
        var ids = new HashSet<Guid>();
        foreach (var r in responses.Where(r => r.StatusCode == HttpStatusCode.Created))
            ids.Add((await r.Content.ReadFromJsonAsync<ImageDto>())!.Id);
        Assert.Single(ids);
        var list = await user.GetFromJsonOk<ImagePage>("/images");
        Assert.Equal(ids.Single(), Assert.Single(list.Items).Id);
    }

    [Fact]
    public async Task AnotherUsersUploadIsNotFound()
    {
        using var owner = await app.NewUserAsync();
        using var other = await app.NewUserAsync();
        var png = TestImages.Png();
        var p = await owner.PresignAsync("a.png", "image/png", png.Length);
        await ApiExtensions.SendToStorageAsync(p, png);

        await (await other.CompleteAsync(p.UploadId)).ShouldBeProblem(HttpStatusCode.NotFound);
        var byKey = await other.PostAsJsonAsync("/images", new { key = p.Key, filename = "a.png", filetype = "image/png" });
        await byKey.ShouldBeProblem(HttpStatusCode.NotFound);
        await (await owner.CompleteAsync(p.UploadId)).ShouldBe(HttpStatusCode.Created);
    }

    [Fact]
    public async Task UnknownUploadIsNotFound()
    {
        using var user = await app.NewUserAsync();
        await (await user.CompleteAsync(Guid.NewGuid())).ShouldBeProblem(HttpStatusCode.NotFound);
    }
}

public sealed class LocalDirectUploadTests(LocalApp app) : DirectUploadTests(app), IClassFixture<LocalApp>;

public sealed class S3DirectUploadTests(S3App app) : DirectUploadTests(app), IClassFixture<S3App>;

public sealed class StagingSweepTests(LocalApp app) : IClassFixture<LocalApp>
{
    [Fact]
    public async Task AbandonedUploadsAreSweptAfterTheirUrlExpires()
    {
        using var user = await app.NewUserAsync();
        var abandoned = await user.PresignAsync("a.png", "image/png", 100);
        await ApiExtensions.SendToStorageAsync(abandoned, TestImages.Png());
        var sweeper = app.Services.GetRequiredService<MediaVault.Cleanup.UploadSweeper>();

        Assert.Empty(await sweeper.SweepOnceAsync(default));
        Assert.Contains(abandoned.Key, await app.ObjectKeysAsync());

        app.Clock.Advance(TimeSpan.FromHours(2));
        await app.LogInAgainAsync(user);
        var fresh = await user.PresignAsync("b.png", "image/png", 100);
        await ApiExtensions.SendToStorageAsync(fresh, TestImages.Png());
        await sweeper.SweepOnceAsync(default);

        var keys = await app.ObjectKeysAsync();
        Assert.DoesNotContain(abandoned.Key, keys);
        Assert.Contains(fresh.Key, keys);
        await (await user.CompleteAsync(abandoned.UploadId)).ShouldBeProblem(HttpStatusCode.Conflict);
        await (await user.CompleteAsync(fresh.UploadId)).ShouldBe(HttpStatusCode.Created);
    }

    [Fact]
    public async Task UploadWhoseCompletionDiedIsSweptWithItsCopy()
    {
        using var user = await app.NewUserAsync();
        var p = await user.PresignAsync("a.png", "image/png", 100);
        await ApiExtensions.SendToStorageAsync(p, TestImages.Png());
        // As if the process died after copying to the final key: claimed, never finished.
        string finalKey;
        using (var scope = app.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<MediaVault.Data.MediaVaultDb>();
            var upload = db.Uploads.Single(u => u.Id == p.UploadId);
            upload.State = MediaVault.Uploads.UploadState.Processing;
            upload.ClaimedAt = app.Clock.GetUtcNow().UtcDateTime;
            await db.SaveChangesAsync();
            finalKey = MediaVault.Storage.StorageKeys.Final(upload.Collection, upload.ImageId, "png");
            var store = scope.ServiceProvider.GetRequiredService<MediaVault.Storage.IObjectStore>();
            await store.PutAsync(finalKey, new MemoryStream(TestImages.Png()), "image/png", default);
        }
        app.Clock.Advance(TimeSpan.FromHours(2));
        await app.Services.GetRequiredService<MediaVault.Cleanup.UploadSweeper>().SweepOnceAsync(default);

        var keys = await app.ObjectKeysAsync();
        Assert.DoesNotContain(p.Key, keys);
        Assert.DoesNotContain(finalKey, keys);
    }

    [Fact]
    public async Task ObjectPutAgainAfterCompletionIsSweptAndTheImageStays()
    {
        using var user = await app.NewUserAsync();
        var p = await user.PresignAsync("a.png", "image/png", 100);
        await ApiExtensions.SendToStorageAsync(p, TestImages.Png());
        await (await user.CompleteAsync(p.UploadId)).ShouldBe(HttpStatusCode.Created);
        // The URL is still valid: a client can write to the staging key again.
        await ApiExtensions.SendToStorageAsync(p, TestImages.Png(5, 5));
        Assert.Contains(p.Key, await app.ObjectKeysAsync());

        app.Clock.Advance(TimeSpan.FromHours(2));
        await app.Services.GetRequiredService<MediaVault.Cleanup.UploadSweeper>().SweepOnceAsync(default);

        Assert.DoesNotContain(p.Key, await app.ObjectKeysAsync());
        await app.LogInAgainAsync(user);
        await (await user.CompleteAsync(p.UploadId)).ShouldBe(HttpStatusCode.Created);
    }
}
