using System.Data.Common;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;

namespace MediaVault.Data;

internal static class DataSetup
{
    public static WebApplicationBuilder AddData(this WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(DatabaseOptions.Section).Get<DatabaseOptions>() ?? new();
        var provider = DatabaseProvider.From(options, builder.Environment.ContentRootPath);
        builder.Services.AddSingleton(provider);
        provider.AddContext(builder.Services);
        // Token keys live in the database, so every instance behind a balancer accepts every token.
        builder.Services.AddDataProtection().SetApplicationName("MediaVault").PersistKeysToDbContext<MediaVaultDb>();
        return builder;
    }

    /// <summary>Applies migrations before the app takes requests; a database that cannot be reached stops start-up.</summary>
    public static async Task MigrateDatabaseAsync(this WebApplication app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var provider = scope.ServiceProvider.GetRequiredService<DatabaseProvider>();
        var db = scope.ServiceProvider.GetRequiredService<MediaVaultDb>();
        try
        {
            await provider.MigrateAsync(db, _ => EnsureTokenKey(app.Services), app.Lifetime.ApplicationStopping);
        }
        catch (Exception e) when (IsUnreachable(e))
        {
            throw new InvalidOperationException(
                $"Cannot reach the {provider.Name} database named by Database:ConnectionString ({provider.Location}): {e.GetBaseException().Message}", e);
        }
    }

    /// <summary>
    /// The first data-protection key is made here, by one instance at a time, instead of lazily by each:
    /// instances that start together would each make one and refuse each other's tokens (an unknown key
    /// is looked up again only shortly after start-up). Later keys are made days before they are used,
    /// so every instance has read them by then.
    /// </summary>
    private static Task EnsureTokenKey(IServiceProvider services)
    {
        var keys = services.GetRequiredService<IKeyManager>();
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        if (!keys.GetAllKeys().Any(k => !k.IsRevoked && k.ActivationDate <= now && k.ExpirationDate > now.AddDays(2)))
            keys.CreateNewKey(activationDate: now, expirationDate: now.AddDays(90));
        return Task.CompletedTask;
    }

    // Driver errors arrive as they are, or wrapped by EF (its retrying strategy gives up with RetryLimitExceededException).
    private static bool IsUnreachable(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
            if (e is DbException or TimeoutException or System.Net.Sockets.SocketException) return true;
        return false;
    }
}
