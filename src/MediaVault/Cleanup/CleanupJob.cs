using MediaVault.Accounts;
using MediaVault.Data;
using Microsoft.EntityFrameworkCore;
using MediaVault.Storage;
using MediaVault.Uploads;
using Microsoft.Extensions.Options;

namespace MediaVault.Cleanup;

/// <summary>The background clean-up every instance runs: expired uploads, pending images nothing took, deleted accounts, the
/// remains of interrupted writes, and now and then an audit of storage against the database.</summary>
public sealed class CleanupJob(UploadSweeper sweeper, PendingImageSweeper pending, AccountPurge accounts, StorageAudit audit, IServiceScopeFactory scopes,
    IOptions<CleanupOptions> options, TimeProvider time, ILogger<CleanupJob> log) : BackgroundService
{
    /// <summary>A write not finished after this long belongs to a process that died (the longest a proxied upload may take, and then some).</summary>
    public static readonly TimeSpan IncompleteWriteAge = ImageIngest.ProxiedUploadLifetime + UploadSweeper.Grace;

    private DateTimeOffset _nextAudit = DateTimeOffset.MinValue;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.Interval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try { await RunOnceAsync(stoppingToken); }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                log.LogWarning(e, "Clean-up failed; retrying in {Interval}.", options.Value.Interval);
            }
        }
    }

    public async Task RunOnceAsync(CancellationToken ct)
    {
        while ((await sweeper.SweepOnceAsync(ct)).Count > 0) { } // batch after batch until nothing is due
        while (await pending.SweepOnceAsync(ct) > 0) { }
        await accounts.SweepOnceAsync(ct); // deletions of accounts that a crash left half-done
        await using (var scope = scopes.CreateAsyncScope())
        {
            var store = scope.ServiceProvider.GetRequiredService<IObjectStore>();
            var removed = await store.RemoveIncompleteWritesAsync(time.GetUtcNow() - IncompleteWriteAge, ct);
            if (removed > 0) log.LogInformation("Clean-up removed {Count} interrupted writes.", removed);
            var now = time.GetUtcNow().UtcDateTime;
            await scope.ServiceProvider.GetRequiredService<MediaVaultDb>().RefreshTokens.Where(r => r.ExpiresAt < now).ExecuteDeleteAsync(ct);
        }
        if (options.Value.AuditInterval > TimeSpan.Zero && time.GetUtcNow() >= _nextAudit)
        {
            await audit.AuditOnceAsync(ct);
            _nextAudit = time.GetUtcNow() + options.Value.AuditInterval;
        }
    }
}
