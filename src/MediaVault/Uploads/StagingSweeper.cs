using MediaVault.Data;
using MediaVault.Storage;
using Microsoft.EntityFrameworkCore;

namespace MediaVault.Uploads;

/// <summary>
/// Direct uploads that were never registered leave a staging object and a pending row, and a client
/// may write to a staging key until its URL expires even after the upload settled. Once the URL has
/// been expired for <see cref="Grace"/>, the staging object is deleted (a pending upload is refused).
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

    /// <summary>Sweeps one batch; returns how many staging keys were cleared.</summary>
    public async Task<int> SweepOnceAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MediaVaultDb>();
        var store = scope.ServiceProvider.GetRequiredService<IObjectStore>();
        var cutoff = time.GetUtcNow().UtcDateTime - Grace;
        // Completed and refused uploads too: their URL stayed valid after they settled, so a client
        // could have put a new object at the staging key.
        var expired = await db.Uploads.AsNoTracking()
            .Where(u => !u.StagingSwept && u.State != UploadState.Processing && u.ExpiresAt < cutoff)
            .OrderBy(u => u.ExpiresAt).Take(200)
            .Select(u => new { u.Id, u.StagingKey })
            .ToListAsync(ct);
        var swept = 0;
        foreach (var upload in expired)
        {
            // Claim first, so two instances never both work on one upload; a pending upload is refused from now on.
            var claimed = await db.Uploads.Where(u => u.Id == upload.Id && !u.StagingSwept && u.State != UploadState.Processing)
                .ExecuteUpdateAsync(s => s
                    .SetProperty(u => u.StagingSwept, true)
                    .SetProperty(u => u.State, u => u.State == UploadState.Pending ? UploadState.Rejected : u.State), ct);
            if (claimed == 0) continue;
            await store.DeleteAsync(upload.StagingKey, ct);
            swept++;
        }
        if (swept > 0) log.LogInformation("Cleared {Count} expired staging keys.", swept);
        return swept;
    }
}
