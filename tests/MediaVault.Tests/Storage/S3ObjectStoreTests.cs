using MediaVault.Tests.Infrastructure;

namespace MediaVault.Tests.Storage;

public sealed class S3ObjectStoreTests : ObjectStoreContract, IClassFixture<S3App>
{
    public S3ObjectStoreTests(S3App app) : base(app)
    {
        // The store dates URLs by the app's clock, the SDK signs and RGW checks by the real one: keep them together.
        app.Clock.SetUtcNow(DateTimeOffset.UtcNow);
    }

    protected override TimeSpan ShortLifetime => TimeSpan.FromSeconds(2);

    // RGW's clock is real, so wait it out: seconds, never minutes.
    protected override Task WaitPastAsync(DateTimeOffset expiresAt)
    {
        var wait = expiresAt - DateTimeOffset.UtcNow + TimeSpan.FromSeconds(1.5);
        return Task.Delay(wait > TimeSpan.Zero ? wait : TimeSpan.Zero, TestContext.Current.CancellationToken);
    }
}
