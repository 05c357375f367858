using Amazon.S3;
using Amazon.S3.Model;
using MediaVault.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace MediaVault.Tests.Storage;

public sealed class S3ObjectStoreTests : ObjectStoreContract, IClassFixture<S3App>
{
    private readonly S3App _app;

    public S3ObjectStoreTests(S3App app) : base(app)
    {
        _app = app;
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

    [Fact]
    public async Task IncompleteMultipartUploadsStartedBeforeTheCutoffAreAborted()
    {
        var s3 = _app.Services.GetRequiredService<IAmazonS3>();
        var key = NewKey();
        var started = await s3.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest { BucketName = _app.Bucket, Key = key }, Ct);

        Assert.Equal(0, await Store.RemoveIncompleteWritesAsync(DateTimeOffset.UtcNow.AddHours(-1), Ct));
        Assert.Contains(started.UploadId, await UploadIdsAsync(s3));

        Assert.True(await Store.RemoveIncompleteWritesAsync(DateTimeOffset.UtcNow.AddMinutes(1), Ct) >= 1);
        Assert.DoesNotContain(started.UploadId, await UploadIdsAsync(s3));
    }

    private async Task<List<string>> UploadIdsAsync(IAmazonS3 s3) =>
        ((await s3.ListMultipartUploadsAsync(new ListMultipartUploadsRequest { BucketName = _app.Bucket }, Ct)).MultipartUploads ?? [])
            .Select(u => u.UploadId).ToList();
}
