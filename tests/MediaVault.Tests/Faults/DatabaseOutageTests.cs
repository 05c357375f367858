using System.Net;
using System.Net.Http.Json;
using MediaVault.Cleanup;
using MediaVault.Data;
using MediaVault.Tests.Infrastructure;
using MediaVault.Uploads;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace MediaVault.Tests.Faults;

/// <summary>
/// PostgreSQL really stopped (its own throwaway cluster, so the rest of the suite is not touched) during
/// an upload, a completion and a list: 503 problems, nothing half-written, and recovery without a restart.
/// The answer comes within Npgsql's connect timeout plus two quick retries (a refused connection: about 2 s).
/// </summary>
public sealed class DatabaseOutageTests(RgwServer rgw) : IAsyncLifetime
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "mediavault-pgfault-" + Guid.NewGuid().ToString("N")[..8]);
    private string _connection = "";

    public async ValueTask InitializeAsync() =>
        _connection = PostgresServer.Parse(await Scripts.RunAsync("pg-up.sh", _dir, "0"))["PG_CONNECTION"] + ";Database=mediavault;Timeout=5";

    public async ValueTask DisposeAsync() => await Scripts.RunAsync("pg-down.sh", _dir, "--wipe");

    [Fact]
    public async Task StoppedDatabaseGives503sLeavesNothingHalfWrittenAndTheServiceRecovers()
    {
        await using var app = new MediaVaultApplication(StoreKind.Local, rgw,
            new Dictionary<string, string?> { ["Database:ConnectionString"] = _connection }, database: DatabaseKind.PostgreSQL);
        await app.InitializeAsync();
        using var user = await app.NewUserAsync();
        user.Timeout = TimeSpan.FromSeconds(60); // a hang guard, not a speed claim
        var kept = await user.UploadOkAsync(TestImages.Png());
        var direct = await user.PresignAsync("d.png", "image/png", 100);
        await ApiExtensions.SendToStorageAsync(direct, TestImages.Png());

        // A proxied upload caught mid-stream: its row is written, its object is being written.
        var (form, type) = await PausingContent.FormAsync(TestImages.PaddedPng(3 * 1024 * 1024));
        var slow = new PausingContent(form, 2 * 1024 * 1024, type);
        var inFlight = user.PostAsync("/images/upload", slow);
        await slow.Paused;
        await WaitUntilAsync(async () =>
        {
            await using var scope = app.Services.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<MediaVaultDb>().Uploads.AnyAsync(u => u.Method == Upload.ProxiedMethod);
        });

        await Scripts.RunAsync("pg-down.sh", _dir);
        slow.Resume();
        await (await inFlight).ShouldBeProblem(HttpStatusCode.ServiceUnavailable);
        var list = await user.GetAsync("/images");
        await list.ShouldBeProblem(HttpStatusCode.ServiceUnavailable);
        Assert.True(list.Headers.RetryAfter is not null, "a 503 says when to retry");
        await (await user.CompleteAsync(direct.UploadId, "d.png")).ShouldBeProblem(HttpStatusCode.ServiceUnavailable);
        await (await user.UploadAsync(TestImages.Png())).ShouldBeProblem(HttpStatusCode.ServiceUnavailable);
        using (var ready = await app.Anonymous().GetAsync("/health/ready"))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
            Assert.Contains("does not answer", await ready.Content.ReadAsStringAsync());
        }

        await Scripts.RunAsync("pg-up.sh", _dir, "0");
        // Back without a restart: the first requests after the database returns succeed.
        Assert.Single((await user.GetFromJsonOk<ImagePage>("/images")).Items);
        await (await user.CompleteAsync(direct.UploadId, "d.png")).ShouldBe(HttpStatusCode.Created);
        await user.UploadOkAsync(TestImages.Png());

        // The object of the upload caught by the outage is named by its row; clean-up removes it.
        app.Clock.Advance(CleanupJob.IncompleteWriteAge + TimeSpan.FromMinutes(1));
        await app.Services.GetRequiredService<CleanupJob>().RunOnceAsync(default);
        await app.LogInAgainAsync(user);
        var served = (await user.GetFromJsonOk<ImagePage>("/images")).Items.Select(i => i.Key).Order().ToList();
        Assert.Equal(3, served.Count);
        Assert.Contains(kept.Key, served);
        Assert.Equal(served, (await app.ObjectKeysAsync()).Where(k => !k.StartsWith("staging/")).Order().ToList());
    }

    internal static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        for (var i = 0; i < 300; i++)
        {
            if (await condition()) return;
            await Task.Delay(100);
        }
        Assert.Fail("condition not met within 30 s");
    }
}
