using Microsoft.AspNetCore.DataProtection;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace MediaVault.Data;

public sealed class DatabaseOptions
{
    public const string Section = "Database";

    /// <summary>SQLite connection string; a relative file path is under the content root.</summary>
    public string ConnectionString { get; set; } = "Data Source=data/mediavault.db";
}

internal static class DataSetup
{
    public static WebApplicationBuilder AddData(this WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(DatabaseOptions.Section).Get<DatabaseOptions>() ?? new();
        var connectionString = SqliteConnectionString(options.ConnectionString, builder.Environment.ContentRootPath);
        builder.Services.AddDbContextPool<MediaVaultDb>(o => o.UseSqlite(connectionString).AddInterceptors(new SqlitePragmas()));
        // Token keys live in the database, so every instance behind a balancer accepts every token.
        builder.Services.AddDataProtection().SetApplicationName("MediaVault").PersistKeysToDbContext<MediaVaultDb>();
        return builder;
    }

    /// <summary>Applies migrations before the app takes requests.</summary>
    public static async Task MigrateDatabaseAsync(this WebApplication app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MediaVaultDb>();
        await db.Database.MigrateAsync();
        // WAL lets readers and one writer work at once; it is a property of the file, set once.
        await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;");
    }

    private static string SqliteConnectionString(string configured, string contentRoot)
    {
        SqliteConnectionStringBuilder csb;
        try { csb = new SqliteConnectionStringBuilder(configured); }
        catch (Exception e) when (e is ArgumentException or FormatException)
        {
            throw new InvalidOperationException($"Database:ConnectionString is not a valid SQLite connection string: {e.Message}");
        }
        if (string.IsNullOrEmpty(csb.DataSource))
            throw new InvalidOperationException("Database:ConnectionString must name a Data Source.");
        if (csb.DataSource != ":memory:" && csb.Mode != SqliteOpenMode.Memory)
        {
            csb.DataSource = Path.GetFullPath(Path.Combine(contentRoot, csb.DataSource));
            Directory.CreateDirectory(Path.GetDirectoryName(csb.DataSource)!);
        }
        csb.DefaultTimeout = 30; // seconds a writer waits for the lock before failing (then 503)
        return csb.ToString();
    }
}
