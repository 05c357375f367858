using System.Net;
using System.Net.Sockets;
using MediaVault.Tests.Infrastructure;

namespace MediaVault.Tests.Api;

/// <summary>When storage is down the client gets a 503 problem, never a 500, and nothing is half-saved.</summary>
public sealed class FailureTests(RgwServer rgw)
{
    [Fact]
    public async Task UnreachableStorageGives503()
    {
        var closedPort = FreePort();
        await using var app = new MediaVaultApplication(StoreKind.S3, rgw, new Dictionary<string, string?>
        {
            ["Storage:S3:ServiceUrl"] = $"http://127.0.0.1:{closedPort}",
            ["Storage:S3:CreateBucket"] = "false",
        });
        await app.InitializeAsync();
        using var user = await app.NewUserAsync();

        var upload = await user.UploadAsync(TestImages.Png());
        var problem = await upload.ShouldBeProblem(HttpStatusCode.ServiceUnavailable);
        Assert.DoesNotContain(app.Bucket, problem.Detail ?? "");
        Assert.Empty((await user.GetFromJsonOk<ImagePage>("/images")).Items);

        var p = await user.PresignAsync("a.png", "image/png", 100); // signing needs no network
        await (await user.CompleteAsync(p.UploadId)).ShouldBeProblem(HttpStatusCode.ServiceUnavailable);
    }

    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
