using MediaVault.Data;
using MediaVault.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace MediaVault.Tests.Scale;

/// <summary>
/// Two app processes that share only what a deployment shares: one PostgreSQL database, one store
/// (a bucket, or a folder with one signing key) and one public origin, the round-robin proxy's.
/// </summary>
public sealed class TwoInstances : IAsyncDisposable
{
    private static readonly TimeSpan ReadyWithin = TimeSpan.FromSeconds(60);
    private readonly string _folder;

    private TwoInstances(string connectionString, string folder, RoundRobinProxy proxy) =>
        (ConnectionString, _folder, Proxy) = (connectionString, folder, proxy);

    public string ConnectionString { get; }
    public RoundRobinProxy Proxy { get; }
    public AppProcess A { get; private set; } = null!;
    public AppProcess B { get; private set; } = null!;

    public static async Task<TwoInstances> StartAsync(StoreKind store, RgwServer rgw)
    {
        // An empty database, not the migrated template: both instances migrate it at once, so start-up
        // proves the migration lock as well.
        var connectionString = await PostgresServer.Current.CreateDatabaseAsync(migrated: false);
        var folder = Path.Combine(Path.GetTempPath(), "mediavault-scale-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(folder);
        var cluster = new TwoInstances(connectionString, folder, await RoundRobinProxy.StartAsync());
        var environment = InstanceEnvironment.For(store, rgw, connectionString, Path.Combine(folder, "storage"), cluster.Proxy.Origin);
        var starts = new[] { AppProcess.StartAsync("A", environment, ReadyWithin), AppProcess.StartAsync("B", environment, ReadyWithin) };
        try { await Task.WhenAll(starts); }
        catch
        {
            var errors = starts.Where(t => t.IsFaulted).Select(t => t.Exception!.GetBaseException().Message);
            foreach (var started in starts.Where(t => t.IsCompletedSuccessfully)) await started.Result.DisposeAsync();
            await cluster.DisposeAsync();
            throw new InvalidOperationException("Two instances did not start together:\n" + string.Join("\n\n", errors));
        }
        (cluster.A, cluster.B) = (starts[0].Result, starts[1].Result);
        cluster.Proxy.Forward(cluster.A.BaseAddress, cluster.B.BaseAddress);
        return cluster;
    }

    /// <summary>Migrations the database still lacks after both instances started (none, if they migrated it).</summary>
    public async Task<IReadOnlyList<string>> PendingMigrationsAsync()
    {
        await using var db = new PostgresMediaVaultDb(new DbContextOptionsBuilder<PostgresMediaVaultDb>().UseNpgsql(ConnectionString).Options);
        return [.. await db.Database.GetPendingMigrationsAsync()];
    }

    /// <summary>How many data-protection (token) keys the instances made between them: one, or tokens of
    /// one instance are refused by the other once the short window for re-reading unknown keys is over.</summary>
    public async Task<int> TokenKeysAsync()
    {
        await using var db = new PostgresMediaVaultDb(new DbContextOptionsBuilder<PostgresMediaVaultDb>().UseNpgsql(ConnectionString).Options);
        return await db.DataProtectionKeys.CountAsync();
    }

    /// <summary>Runs the test body; a failure carries the proxy's route log and both instances' output.</summary>
    public async Task ExplainFailuresAsync(Func<Task> body)
    {
        try { await body(); }
        catch (Exception e)
        {
            var hops = string.Join("\n", Proxy.Hops.Select(h => $"  {h.Method} {h.Target} -> {(h.Instance == 0 ? "A" : "B")} {h.Status}"));
            throw new Xunit.Sdk.XunitException(
                $"{e.Message}\n--- requests through the proxy ---\n{hops}\n--- output of A ---\n{A?.Output}\n--- output of B ---\n{B?.Output}", e);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (A is not null) await A.DisposeAsync();
        if (B is not null) await B.DisposeAsync();
        await Proxy.DisposeAsync();
        await PostgresServer.Current.DropDatabaseAsync(ConnectionString);
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
    }
}
