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
}
