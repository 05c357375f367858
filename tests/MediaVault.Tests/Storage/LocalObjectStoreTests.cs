using MediaVault.Tests.Infrastructure;

namespace MediaVault.Tests.Storage;

public sealed class LocalObjectStoreTests(LocalStoreApp app) : ObjectStoreContract(app), IClassFixture<LocalStoreApp>
{
    protected override TimeSpan ShortLifetime => TimeSpan.FromMinutes(1);

    // The app checks its own URLs against its TimeProvider, so time can simply jump.
    protected override Task WaitPastAsync(DateTimeOffset expiresAt)
    {
        app.Clock.SetUtcNow(expiresAt.AddSeconds(1));
        return Task.CompletedTask;
    }

    // AWS answers a form POST with an ETag header and so does the local store. Ceph RGW 16 puts it only
    // in a 201 body, so this is not part of the contract both stores share.
    [Fact]
    public async Task PresignedPostResponseCarriesETag()
    {
        var post = Store.PresignPost(NewKey(), "image/webp", maxBytes: 10_000, Lifetime);
        using var response = await SendFormAsync(post, RandomBytes(5000));
        Assert.True(response.IsSuccessStatusCode, $"storage answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(Ct)}");
        Assert.True(response.Headers.NonValidated.Contains("ETag"), $"no ETag header in {(int)response.StatusCode}: {response.Headers}");
    }

    [Theory]
    [InlineData("HEAD")]
    [InlineData("DELETE")]
    [InlineData("POST")]
    public async Task ObjectUrlWithAnotherMethodIsForbidden(string method)
    {
        var key = NewKey();
        var url = Store.PresignGet(key, Lifetime, null, null).Url;
        using var response = await new HttpClient().SendAsync(new HttpRequestMessage(new HttpMethod(method), url), Ct);
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task ObjectsAreServedWithNosniff()
    {
        var post = Store.PresignPost(NewKey(), "image/png", 10_000, Lifetime);
        await SendFormAsync(post, RandomBytes(100));
        var url = Store.PresignGet(post.Fields["key"], Lifetime, "image/png", null).Url;
        using var response = await new HttpClient().GetAsync(url, Ct);
        Assert.Equal("nosniff", string.Join(",", response.Headers.GetValues("X-Content-Type-Options")));
    }

    [Fact]
    public async Task TempFilesOfInterruptedWritesAreRemovedOnceOld()
    {
        var temp = Path.Combine(app.DataDirectory, "storage", "tmp");
        var old = Path.Combine(temp, Guid.NewGuid().ToString("N"));
        var fresh = Path.Combine(temp, Guid.NewGuid().ToString("N"));
        await File.WriteAllBytesAsync(old, RandomBytes(100), Ct);
        await File.WriteAllBytesAsync(fresh, RandomBytes(100), Ct);
        File.SetLastWriteTimeUtc(old, DateTime.UtcNow.AddDays(-1));

        Assert.True(await Store.RemoveIncompleteWritesAsync(DateTimeOffset.UtcNow.AddHours(-1), Ct) >= 1);

        Assert.False(File.Exists(old));
        Assert.True(File.Exists(fresh)); // may belong to a write in progress
    }
}
