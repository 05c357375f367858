using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace MediaVault.Data;

/// <summary>The embedded default: one file, one machine.</summary>
internal sealed class SqliteDatabase : DatabaseProvider
{
    private const int Constraint = 19, ConstraintPrimaryKey = 1555, ConstraintUnique = 2067, ConstraintForeignKey = 787;
    private readonly string _connectionString;

    public SqliteDatabase(string configured, string contentRoot)
    {
        SqliteConnectionStringBuilder csb;
        try { csb = new SqliteConnectionStringBuilder(configured); }
        catch (Exception e) when (e is ArgumentException or FormatException)
        {
            throw Invalid($"Database:ConnectionString is not a valid SQLite connection string: {e.Message}");
        }
        if (string.IsNullOrEmpty(csb.DataSource))
            throw Invalid("Database:ConnectionString must name a Data Source.");
        if (csb.DataSource != ":memory:" && csb.Mode != SqliteOpenMode.Memory)
        {
            csb.DataSource = Path.GetFullPath(Path.Combine(contentRoot, csb.DataSource));
            Directory.CreateDirectory(Path.GetDirectoryName(csb.DataSource)!);
            // Made empty here so that only the app's user can read it; SQLite gives its WAL files the same mode.
            if (!File.Exists(csb.DataSource))
            {
                try { File.Open(csb.DataSource, Storage.LocalStorageFolder.OwnerOnly()).Dispose(); }
                catch (IOException) when (File.Exists(csb.DataSource)) { } // another process made it first
            }
        }
        csb.DefaultTimeout = 30; // seconds a writer waits for the lock before failing (then 503)
        _connectionString = csb.ToString();
        Location = csb.DataSource;
    }

    public override DatabaseProviderName Name => DatabaseProviderName.Sqlite;
    public override string Location { get; }
    public override string OrdinalCollation => "BINARY";

    public override void AddContext(IServiceCollection services) =>
        services.AddDbContextPool<MediaVaultDb, SqliteMediaVaultDb>(o => o.UseSqlite(_connectionString).AddInterceptors(new SqlitePragmas()));

    public override async Task MigrateAsync(MediaVaultDb db, Func<CancellationToken, Task> thenExclusively, CancellationToken ct)
    {
        // One file serves one machine; SQLite's write lock serialises migrations of processes sharing it.
        await db.Database.MigrateAsync(ct);
        // WAL lets readers and one writer work at once; it is a property of the file, set once.
        await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", ct);
        await thenExclusively(ct);
    }

    // Striped: bounded memory whatever the number of users; a shared stripe only queues two users together.
    private readonly SemaphoreSlim[] _queues = Enumerable.Range(0, 64).Select(_ => new SemaphoreSlim(1, 1)).ToArray();

    public override async Task<IDisposable?> QueueAsync(string key, CancellationToken ct)
    {
        var queue = _queues[(int)((uint)StringComparer.Ordinal.GetHashCode(key) % (uint)_queues.Length)];
        await queue.WaitAsync(ct);
        return new Release(queue);
    }

    private sealed class Release(SemaphoreSlim queue) : IDisposable
    {
        private int _done;
        public void Dispose() { if (Interlocked.Exchange(ref _done, 1) == 0) queue.Release(); }
    }

    public override DbFailure Classify(DbException exception) => exception switch
    {
        SqliteException { SqliteErrorCode: Constraint, SqliteExtendedErrorCode: ConstraintUnique or ConstraintPrimaryKey } => DbFailure.UniqueViolation,
        SqliteException { SqliteErrorCode: Constraint, SqliteExtendedErrorCode: ConstraintForeignKey } => DbFailure.Conflict,
        _ => DbFailure.Unavailable, // busy and locked included: the write lock was held past the timeout
    };
}
