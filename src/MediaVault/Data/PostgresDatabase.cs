using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace MediaVault.Data;

/// <summary>PostgreSQL through Npgsql: the database for several instances.</summary>
internal sealed class PostgresDatabase : DatabaseProvider
{
    // pg_advisory_lock key held while migrating, so instances that start together migrate once.
    private const long MigrationLock = 0x4D65_6469_6156_6C74; // "MediaVlt"
    private readonly string _connectionString;

    public PostgresDatabase(string configured)
    {
        NpgsqlConnectionStringBuilder csb;
        try { csb = new NpgsqlConnectionStringBuilder(configured); }
        catch (Exception e) when (e is ArgumentException or FormatException or KeyNotFoundException)
        {
            throw Invalid($"Database:ConnectionString is not a valid PostgreSQL (Npgsql) connection string: {e.Message}");
        }
        if (string.IsNullOrEmpty(csb.Host))
            throw Invalid("Database:ConnectionString must name a Host.");
        if (string.IsNullOrEmpty(csb.ApplicationName)) csb.ApplicationName = "MediaVault";
        _connectionString = csb.ConnectionString;
        Location = $"{csb.Host}:{csb.Port}/{csb.Database ?? csb.Username}";
    }

    public override DatabaseProviderName Name => DatabaseProviderName.PostgreSQL;
    public override string Location { get; }
    public override string OrdinalCollation => "C";

    public override void AddContext(IServiceCollection services) =>
        services.AddDbContextPool<MediaVaultDb, PostgresMediaVaultDb>(o => o.UseNpgsql(_connectionString,
            // A connection broken by a database restart is retried on a fresh one, so the service
            // recovers by itself; two quick retries keep a real outage's 503 prompt.
            n => n.EnableRetryOnFailure(maxRetryCount: 2, maxRetryDelay: TimeSpan.FromSeconds(1), errorCodesToAdd: null)));

    public override async Task MigrateAsync(MediaVaultDb db, Func<CancellationToken, Task> thenExclusively, CancellationToken ct)
    {
        var creator = db.GetService<IRelationalDatabaseCreator>();
        if (!await creator.ExistsAsync(ct))
        {
            try { await creator.CreateAsync(ct); }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.DuplicateDatabase) { } // another instance won
        }
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_lock({MigrationLock})", ct);
            try
            {
                await db.Database.MigrateAsync(ct);
                await thenExclusively(ct);
            }
            finally { await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_unlock({MigrationLock})", CancellationToken.None); }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    public override void OnUnavailable(DbException exception)
    {
        // Only a broken connection (server restarted, network cut): not an error the server answered, and
        // not a pool that is merely exhausted under load, which clearing would make worse.
        var broken = exception is PostgresException server
            ? server.SqlState.StartsWith("57P", StringComparison.Ordinal) || server.SqlState.StartsWith("08", StringComparison.Ordinal)
            : exception is NpgsqlException { IsTransient: true } && exception.InnerException is not TimeoutException;
        if (broken) NpgsqlConnection.ClearAllPools();
    }

    public override DbFailure Classify(DbException exception) => exception switch
    {
        PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } => DbFailure.UniqueViolation,
        PostgresException { SqlState: PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.ForeignKeyViolation } => DbFailure.Conflict,
        PostgresException { SqlState: PostgresErrorCodes.CharacterNotInRepertoire or PostgresErrorCodes.UntranslatableCharacter or PostgresErrorCodes.StringDataRightTruncation } => DbFailure.InvalidText,
        _ => DbFailure.Unavailable,
    };
}
