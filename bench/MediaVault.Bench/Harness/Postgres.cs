using Npgsql;

namespace MediaVault.Bench.Harness;

/// <summary>A throwaway PostgreSQL cluster from scripts/pg-up.sh on loopback, tuned for tests (fsync off),
/// as RGW's memstore is. The apps create and migrate their databases themselves; each run names a new one.</summary>
public sealed class Postgres : IAsyncDisposable
{
    private readonly string _repo;
    private readonly string _dataDir;
    private string _connection = "";
    private TimeSpan? _cpuAtStop;

    private Postgres(string repo, string dataDir) => (_repo, _dataDir) = (repo, dataDir);

    public string Version { get; private set; } = "PostgreSQL";

    public static async Task<Postgres> StartAsync(string repo, string dataDir)
    {
        var pg = new Postgres(repo, dataDir);
        var output = await Shell.RunAsync("bash", [Path.Combine(repo, "scripts", "pg-up.sh"), dataDir, "0"]);
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = line.Split('=', 2);
            if (parts is ["PG_CONNECTION", var value]) pg._connection = value.Trim().Trim('\'');
        }
        try
        {
            if (pg._connection.Length == 0) throw new InvalidOperationException("pg-up.sh printed no PG_CONNECTION:\n" + output);
            await using var connection = new NpgsqlConnection(pg.ConnectionString("postgres") + ";Pooling=false");
            await connection.OpenAsync();
            pg.Version = $"PostgreSQL {connection.PostgreSqlVersion}";
            return pg;
        }
        catch
        {
            await pg.DisposeAsync();
            throw;
        }
    }

    /// <summary>Connection string to <paramref name="database"/>, which the app creates if it does not exist.</summary>
    public string ConnectionString(string database) => $"{_connection};Database={database}";

    /// <summary>The postmaster, the one process pg-up.sh leaves running; its backends are its children.</summary>
    private int? Pid => int.TryParse(File.Exists(Path.Combine(_dataDir, "pid")) ? File.ReadAllText(Path.Combine(_dataDir, "pid")) : "", out var pid) ? pid : null;

    /// <summary>CPU time of the postmaster and every backend so far: live ones, and those that exited (reaped by it).</summary>
    public TimeSpan CpuUsed
    {
        get
        {
            if (_cpuAtStop is { } stopped) return stopped;
            if (Pid is not { } pid) return TimeSpan.Zero;
            var live = Directory.EnumerateDirectories("/proc")
                .Select(d => int.TryParse(Path.GetFileName(d), out var p) ? p : 0)
                .Where(p => p > 0 && ParentOf(p) == pid);
            return live.Aggregate(ProcStats.Cpu(pid, children: true), (sum, p) => sum + ProcStats.Cpu(p));
        }
    }

    private static int? ParentOf(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1]); // after "pid (comm) ": state, ppid
        }
        catch (Exception e) when (e is IOException or FormatException or UnauthorizedAccessException) { return null; }
    }

    public async ValueTask DisposeAsync()
    {
        _cpuAtStop = CpuUsed;
        await Shell.RunAsync("bash", [Path.Combine(_repo, "scripts", "pg-down.sh"), _dataDir, "--wipe"]);
    }
}
