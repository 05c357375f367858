using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MediaVault.Cleanup;
using MediaVault.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace MediaVault.Tests.Faults;

/// <summary>
/// Storage that stops answering (Ceph RGW frozen with SIGSTOP: sockets stay open, nothing comes back):
/// every storage call meets its deadline (Storage:Timeout, 2 s here) with a 503 and Retry-After, requests
/// that need no storage are served meanwhile, and the service recovers by itself when RGW answers again.
/// Its own RGW, so the rest of the suite is not frozen with it.
/// </summary>
public sealed class StorageStallTests(RgwServer shared) : IAsyncLifetime
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "mediavault-rgwfault-" + Guid.NewGuid().ToString("N")[..8]);
    private string _endpoint = "";

    public async ValueTask InitializeAsync() =>
        _endpoint = PostgresServer.Parse(await Scripts.RunAsync("rgw-up.sh", _dir, "0"))["ENDPOINT"];

    public async ValueTask DisposeAsync()
    {
        Signal("CONT"); // never leave a frozen process behind
        await Scripts.RunAsync("rgw-down.sh", _dir, "--wipe");
    }

    [Fact]
    public async Task FrozenStorageGives503sInTimeOthersAreServedAndTheServiceRecovers()
    {
        await using var app = new MediaVaultApplication(StoreKind.S3, shared, new Dictionary<string, string?>
        {
            ["Storage:S3:ServiceUrl"] = _endpoint,
            ["Storage:Timeout"] = "00:00:02",
        });
        await app.InitializeAsync();
        using var user = await app.NewUserAsync();
        user.Timeout = TimeSpan.FromSeconds(60); // a hang guard: today's bug was no answer at all
        var kept = await user.UploadOkAsync(TestImages.Png());
        var direct = await user.PresignAsync("d.png", "image/png", 100);
        await ApiExtensions.SendToStorageAsync(direct, TestImages.Png());

        Signal("STOP");
        var stalled = new List<Task<HttpResponseMessage>>
        {
            user.UploadAsync(TestImages.Png()),
            user.UploadAsync(TestImages.Jpeg(), "a.jpg", "image/jpeg"),
            user.UploadAsync(TestImages.PaddedPng(20 * 1024 * 1024), collection: "big"), // several parts
            user.CompleteAsync(direct.UploadId, "d.png"),
        };
        // Requests that need no storage do not wait behind the stalled ones.
        var list = await user.GetFromJsonOk<ImagePage>("/images");
        Assert.Single(list.Items);
        Assert.Contains(stalled, t => !t.IsCompleted);
        (await user.PostAsJsonAsync("/images/presign-upload", new { filename = "x.png", filetype = "image/png", size = 10 })).EnsureSuccessStatusCode();

        foreach (var answer in await Task.WhenAll(stalled))
        {
            await answer.ShouldBeProblem(HttpStatusCode.ServiceUnavailable);
            Assert.NotNull(answer.Headers.RetryAfter);
        }
        using (var ready = await app.Anonymous().GetAsync("/health/ready"))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
            var checks = (await ready.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("checks");
            Assert.Equal("Unhealthy", checks.GetProperty("storage").GetProperty("status").GetString());
            Assert.Equal("Healthy", checks.GetProperty("database").GetProperty("status").GetString());
        }

        Signal("CONT");
        await user.UploadOkAsync(TestImages.Png());
        await (await user.CompleteAsync(direct.UploadId, "d.png")).ShouldBe(HttpStatusCode.Created);

        // Whatever the stalled writes left is removed by clean-up, and storage agrees with the rows.
        var later = DateTimeOffset.UtcNow + CleanupJob.IncompleteWriteAge + TimeSpan.FromMinutes(1);
        if (later > app.Clock.GetUtcNow()) app.Clock.SetUtcNow(later);
        await app.Services.GetRequiredService<CleanupJob>().RunOnceAsync(default);
        var audit = await app.Services.GetRequiredService<StorageAudit>().AuditOnceAsync(default);
        Assert.Equal((0, 0), (audit.ObjectsWithoutRows, audit.RowsWithoutObjects));
        Assert.Contains(kept.Key, await app.ObjectKeysAsync());
    }

    private void Signal(string signal)
    {
        var pidFile = Path.Combine(_dir, "pids", "rgw.pid");
        if (!File.Exists(pidFile)) return;
        using var kill = Process.Start("kill", ["-" + signal, File.ReadAllText(pidFile).Trim()]);
        kill.WaitForExit();
    }
}
