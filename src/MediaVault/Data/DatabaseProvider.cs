using System.Data.Common;
using Microsoft.Extensions.Options;

namespace MediaVault.Data;

/// <summary>How a database failure should be answered.</summary>
public enum DbFailure
{
    /// <summary>Unreachable, timed out or busy: 503 with Retry-After.</summary>
    Unavailable,
    /// <summary>A unique key was taken by a concurrent request: 409.</summary>
    UniqueViolation,
    /// <summary>A serialization failure or deadlock with a concurrent request, or a row a concurrent request deleted: 409, retry.</summary>
    Conflict,
    /// <summary>Text the database cannot store (a NUL character, a value past its column's length): 400.</summary>
    InvalidText,
}

/// <summary>
/// Everything that differs between the two databases sits behind this seam: how the context is
/// registered, how migrations run, what an error code means, how keys sort byte by byte.
/// Features never ask which database they run on.
/// </summary>
public abstract class DatabaseProvider
{
    public abstract DatabaseProviderName Name { get; }

    /// <summary>Where the database is, without credentials, for start-up messages.</summary>
    public abstract string Location { get; }

    /// <summary>The collation under which text sorts by its bytes, as object stores list keys.</summary>
    public abstract string OrdinalCollation { get; }

    public abstract void AddContext(IServiceCollection services);

    /// <summary>Applies pending migrations, then runs <paramref name="thenExclusively"/>, both while no other
    /// instance does the same: safe when several instances start at once.</summary>
    public abstract Task MigrateAsync(MediaVaultDb db, Func<CancellationToken, Task> thenExclusively, CancellationToken ct);

    public abstract DbFailure Classify(DbException exception);

    /// <summary>Held around a transaction that takes a per-user lock row: null where the database's own
    /// row lock queues them well. SQLite's single writer would queue them in its busy handler, which
    /// sleeps in steps while the lock is free; queued here instead, they run back to back.</summary>
    public virtual Task<IDisposable?> QueueAsync(string key, CancellationToken ct) => Task.FromResult<IDisposable?>(null);

    /// <summary>Called when a request failed because the database did not answer: drop what cannot be
    /// trusted any more (pooled connections to a server that restarted), so the service recovers by itself.</summary>
    public virtual void OnUnavailable(DbException exception) { }

    public static DatabaseProvider From(DatabaseOptions options, string contentRoot)
    {
        if (!Enum.TryParse<DatabaseProviderName>(options.Provider, ignoreCase: true, out var name) || !Enum.IsDefined(name))
            throw Invalid($"Database:Provider must be 'Sqlite' or 'PostgreSQL', not '{options.Provider}'.");
        if (string.IsNullOrWhiteSpace(options.ConnectionString))
            throw Invalid("Database:ConnectionString is empty.");
        return name == DatabaseProviderName.PostgreSQL
            ? new PostgresDatabase(options.ConnectionString)
            : new SqliteDatabase(options.ConnectionString, contentRoot);
    }

    internal static OptionsValidationException Invalid(string message) =>
        new(DatabaseOptions.Section, typeof(DatabaseOptions), [message]);
}
