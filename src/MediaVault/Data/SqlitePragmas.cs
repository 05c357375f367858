using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace MediaVault.Data;

/// <summary>
/// Per-connection SQLite settings. WAL with synchronous=NORMAL commits without an fsync each time
/// (still safe against corruption; a power cut may lose the last commits, an app crash none), and
/// SQLite's own busy handler waits for the write lock in steps of a few milliseconds, where the
/// driver's retry loop would sleep 150 ms at a time.
/// </summary>
internal sealed class SqlitePragmas : DbConnectionInterceptor
{
    private const string Pragmas = "PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=30000;";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken ct = default)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        await command.ExecuteNonQueryAsync(ct);
    }
}
