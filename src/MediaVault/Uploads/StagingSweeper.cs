using MediaVault.Data;
using MediaVault.Storage;
using Microsoft.EntityFrameworkCore;

namespace MediaVault.Uploads;

/// <summary>
/// Direct uploads that were never registered leave a staging object and a pending row. Once their URL
/// has been expired for <see cref="Grace"/>, the object is deleted and the upload marked refused.
/// Safe with many instances: each upload is claimed by one conditional update before its object goes.
/// </summary>
internal sealed class StagingSweeper(IServiceScopeFactory scopes, TimeProvider time, ILogger<StagingSweeper> log) : BackgroundService
{
    public static readonly TimeSpan Grace = TimeSpan.FromHours(1);
    private static readonly TimeSpan Interval = TimeSpan.FromMinutes(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try { await SweepOnceAsync(stoppingToken); }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                log.LogWarning(e, "Sweeping abandoned uploads failed; retrying in {Interval}.", Interval);
            }
        }
    }

    /// <summary>Sweeps one batch; returns how many abandoned uploads were removed.</summary>
    public async Task<int> SweepOnceAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MediaVaultDb>();
        var store = scope.ServiceProvider.GetRequiredService<IObjectStore>();
        var cutoff = time.GetUtcNow().UtcDateTime - Grace;
        var abandoned = await db.Uploads.AsNoTracking()
            .Where(u => u.State == UploadState.Pending && u.ExpiresAt < cutoff)
            .OrderBy(u => u.ExpiresAt).Take(200)
            .Select(u => new { u.Id, u.StagingKey })
            .ToListAsync(ct);
        var removed = 0;
        foreach (var upload in abandoned)
        {
            var claimed = await db.Uploads.Where(u => u.Id == upload.Id && u.State == UploadState.Pending)
                .ExecuteUpdateAsync(s => s.SetProperty(u => u.State, UploadState.Rejected), ct);
            if (claimed == 0) continue;
            await store.DeleteAsync(upload.StagingKey, ct);
            removed++;
        }
        if (removed > 0) log.LogInformation("Removed {Count} abandoned uploads.", removed);
        return removed;
    }
}
