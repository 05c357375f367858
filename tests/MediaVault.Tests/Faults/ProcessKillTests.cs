using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using MediaVault.Cleanup;
using MediaVault.Tests.Infrastructure;
using MediaVault.Tests.Scale;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace MediaVault.Tests.Faults;

/// <summary>
/// A real app process killed (SIGKILL) at the worst moment: objects written, rows not yet saved. A test
/// transaction holds a lock on the image table, so both a proxied upload and a direct completion stop
/// exactly there; then the process dies. After a restart nothing points at a missing object, and
/// clean-up removes what the dead process wrote, through the rows that named those keys.
/// </summary>
public sealed class ProcessKillTests(RgwServer rgw)
{
    private const string Password = "Str0ng!Passw0rd";

    [Theory]
    [InlineData(StoreKind.Local)]
    [InlineData(StoreKind.S3)]
    public async Task AppKilledBetweenStoringObjectsAndSavingRowsLeavesNothingBehind(StoreKind store)
    {
        var database = await PostgresServer.Current.CreateDatabaseAsync();
        var root = Path.Combine(Path.GetTempPath(), "mediavault-kill-" + Guid.NewGuid().ToString("N")[..12]);
        var environment = InstanceEnvironment.For(store, rgw, database, root, publicOrigin: null);
        var email = $"kill-{Guid.NewGuid():N}@example.com";
        try
        {
            string keptKey;
            await using (var doomed = await AppProcess.StartAsync("doomed", environment, TimeSpan.FromSeconds(60)))
            {
                using var user = await SignedInAsync(doomed.BaseAddress, email, register: true);
                keptKey = (await user.UploadOkAsync(TestImages.Png())).Key;
                var direct = await user.PresignAsync("d.png", "image/png", 100);
                (await ApiExtensions.SendToStorageAsync(direct, TestImages.Png())).EnsureSuccessStatusCode();

                await using var blocker = new NpgsqlConnection(database);
                await blocker.OpenAsync();
                await using var hold = await blocker.BeginTransactionAsync();
                await new NpgsqlCommand("""LOCK TABLE "Images" IN EXCLUSIVE MODE""", blocker, hold).ExecuteNonQueryAsync();
                var proxied = user.UploadAsync(TestImages.Png(40, 30));
                var completion = user.CompleteAsync(direct.UploadId, "d.png");
                await DatabaseOutageTests.WaitUntilAsync(async () => await WaitingOnLocksAsync(database) == 2);

                await doomed.KillAsync(); // SIGKILL, mid-transaction
                await hold.RollbackAsync();
                await Assert.ThrowsAnyAsync<HttpRequestException>(() => proxied);
                await Assert.ThrowsAnyAsync<HttpRequestException>(() => completion);
            }

            // Restarted (in-process here, so its clock can be moved): only the image that was saved exists, whole.
            await using var restarted = new MediaVaultApplication(store, rgw, new Dictionary<string, string?>
            {
                ["Database:ConnectionString"] = database,
                ["Storage:Local:Root"] = root,
                ["Storage:S3:Bucket"] = environment.GetValueOrDefault("MediaVault__Storage__S3__Bucket"),
                ["Storage:Local:SigningKey"] = InstanceEnvironment.SigningKey,
            }, database: DatabaseKind.PostgreSQL);
            await restarted.InitializeAsync();
            var before = await restarted.ObjectKeysAsync();
            Assert.Equal(4, before.Count); // the saved image, the staging object, and two objects no image names
            using (var user = await SignedInAsync(restarted.BaseAddress, email))
            {
                var images = (await user.GetFromJsonOk<ImagePage>("/images")).Items;
                Assert.Equal(keptKey, Assert.Single(images).Key);
                Assert.Equal(HttpStatusCode.OK, (await ApiExtensions.FetchAsync(images[0].Url)).StatusCode);
            }

            restarted.Clock.SetUtcNow(DateTimeOffset.UtcNow + CleanupJob.IncompleteWriteAge + TimeSpan.FromMinutes(1));
            await restarted.Services.GetRequiredService<CleanupJob>().RunOnceAsync(default);
            Assert.Equal([keptKey], await restarted.ObjectKeysAsync());
            var audit = await restarted.Services.GetRequiredService<StorageAudit>().AuditOnceAsync(default);
            Assert.Equal((1, 0, 0), (audit.ObjectsChecked, audit.ObjectsWithoutRows, audit.RowsWithoutObjects));
        }
        finally
        {
            await PostgresServer.Current.DropDatabaseAsync(database);
            try { Directory.Delete(root, recursive: true); } catch (IOException) { }
        }
    }

    private static async Task<HttpClient> SignedInAsync(Uri app, string email, bool register = false)
    {
        var client = new HttpClient { BaseAddress = app, Timeout = TimeSpan.FromSeconds(60) };
        if (register) (await client.PostAsJsonAsync("/auth/register", new { email, password = Password })).EnsureSuccessStatusCode();
        var login = await client.PostAsJsonAsync("/auth/login", new { email, password = Password });
        login.EnsureSuccessStatusCode();
        var token = (await login.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("accessToken").GetString();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private static async Task<long> WaitingOnLocksAsync(string database)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var count = new NpgsqlCommand(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'", connection);
        return (long)(await count.ExecuteScalarAsync())!;
    }
}
