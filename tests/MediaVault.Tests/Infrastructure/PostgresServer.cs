using System.Diagnostics;
using MediaVault.Data;
using Microsoft.EntityFrameworkCore;
using Npgsql;

[assembly: AssemblyFixture(typeof(MediaVault.Tests.Infrastructure.PostgresServer))]

namespace MediaVault.Tests.Infrastructure;

public enum DatabaseKind { Sqlite, PostgreSQL }

/// <summary>
/// The real PostgreSQL for the suite: the cluster scripts/test.sh started (MEDIAVAULT_TEST_PG), or one
/// this fixture starts with the project's script the first time a test needs it. Never skipped.
/// Every app gets a database of its own, copied from a migrated template (cheaper than migrating each).
/// </summary>
public sealed class PostgresServer : IAsyncLifetime
{
    private static PostgresServer? _current;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private string? _ownDataDir;
    private string? _admin;
    private bool _templateReady;

    /// <summary>The database the whole pass runs on: MEDIAVAULT_TEST_DB (Sqlite by default).</summary>
    public static DatabaseKind PassDatabase { get; } =
        Enum.TryParse<DatabaseKind>(Environment.GetEnvironmentVariable("MEDIAVAULT_TEST_DB"), ignoreCase: true, out var kind) ? kind : DatabaseKind.Sqlite;

    public static PostgresServer Current => _current ?? throw new InvalidOperationException("The PostgreSQL fixture has not been created.");

    public ValueTask InitializeAsync()
    {
        _current = this;
        return ValueTask.CompletedTask;
    }

    /// <summary>Superuser connection string to the server (database postgres).</summary>
    public async Task<string> AdminConnectionStringAsync()
    {
        await _gate.WaitAsync();
        try
        {
            if (_admin is not null) return _admin;
            var configured = Environment.GetEnvironmentVariable("MEDIAVAULT_TEST_PG");
            if (string.IsNullOrEmpty(configured))
            {
                _ownDataDir = Path.Combine(Path.GetTempPath(), "mediavault-pg-" + Guid.NewGuid().ToString("N")[..8]);
                configured = Parse(await Scripts.RunAsync("pg-up.sh", _ownDataDir, "0"))["PG_CONNECTION"];
            }
            _admin = new NpgsqlConnectionStringBuilder(configured) { Database = "postgres", Pooling = false }.ConnectionString;
            return _admin;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>A new, migrated, empty database; its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(bool migrated = true)
    {
        var admin = await AdminConnectionStringAsync();
        var name = "mv_" + Guid.NewGuid().ToString("N")[..16];
        await _gate.WaitAsync();
        try
        {
            if (migrated && !_templateReady)
            {
                await ExecuteAsync(admin, "DROP DATABASE IF EXISTS mv_template WITH (FORCE)");
                await ExecuteAsync(admin, "CREATE DATABASE mv_template");
                var template = ConnectionString(admin, "mv_template");
                await using (var db = new PostgresMediaVaultDb(new DbContextOptionsBuilder<PostgresMediaVaultDb>().UseNpgsql(template).Options))
                    await db.Database.MigrateAsync();
                _templateReady = true;
            }
            await ExecuteAsync(admin, migrated ? $"CREATE DATABASE {name} TEMPLATE mv_template" : $"CREATE DATABASE {name}");
        }
        finally
        {
            _gate.Release();
        }
        return new NpgsqlConnectionStringBuilder(ConnectionString(admin, name)) { Pooling = true }.ConnectionString;
    }

    public async Task DropDatabaseAsync(string connectionString)
    {
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database;
        await using (var pooled = new NpgsqlConnection(connectionString)) NpgsqlConnection.ClearPool(pooled);
        try { await ExecuteAsync(await AdminConnectionStringAsync(), $"DROP DATABASE IF EXISTS {name} WITH (FORCE)"); }
        catch (NpgsqlException) { } // the server may be one a test stopped; its folder goes anyway
    }

    public async ValueTask DisposeAsync()
    {
        if (_ownDataDir is not null) await Scripts.RunAsync("pg-down.sh", _ownDataDir, "--wipe");
    }

    public static string ConnectionString(string admin, string database) =>
        new NpgsqlConnectionStringBuilder(admin) { Database = database }.ConnectionString;

    public static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    public static Dictionary<string, string> Parse(string envLines) =>
        envLines.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split('=', 2))
            .Where(p => p.Length == 2)
            .ToDictionary(p => p[0], p => p[1].Trim('\''));
}

/// <summary>Runs the project's own scripts (scripts/*.sh), as a user would.</summary>
public static class Scripts
{
    public static async Task<string> RunAsync(string script, params string[] args)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(RgwServer.RepoRoot(), "scripts", script));
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{script} failed ({process.ExitCode}):\n{await stderr}");
        return await stdout;
    }
}
