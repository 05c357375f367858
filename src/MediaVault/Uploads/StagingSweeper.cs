using MediaVault.Data;
using MediaVault.Images;
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
        var now = time.GetUtcNow().UtcDateTime;
        var cutoff = now - Grace;
        var staleClaim = now - DirectUploads.ClaimTimeout;
        // Completed and refused uploads too: their URL stayed valid after they settled, so a client
        // could have put a new object at the staging key. A claim whose process died counts as settled.
        var expired = await db.Uploads.AsNoTracking()
            .Where(u => !u.StagingSwept && u.ExpiresAt < cutoff && (u.State != UploadState.Processing || u.ClaimedAt < staleClaim))
            .OrderBy(u => u.ExpiresAt).Take(200)
            .ToListAsync(ct);
        var swept = 0;
        foreach (var upload in expired)
        {
            // Claim first, so two instances never both work on one upload; an unfinished upload is refused from now on.
            var claimed = await db.Uploads
                .Where(u => u.Id == upload.Id && !u.StagingSwept && (u.State != UploadState.Processing || u.ClaimedAt < staleClaim))
                .ExecuteUpdateAsync(s => s
                    .SetProperty(u => u.StagingSwept, true)
                    .SetProperty(u => u.State, u => u.State == UploadState.Completed ? UploadState.Completed : UploadState.Rejected), ct);
            if (claimed == 0) continue;
            await store.DeleteAsync(upload.StagingKey, ct);
            if (upload.State != UploadState.Completed && !await db.Images.AnyAsync(i => i.Id == upload.ImageId, ct))
            {
                // A completion that died after its copy left the final object without a row.
                foreach (var format in ImageFormat.All)
                    await store.DeleteAsync(StorageKeys.Final(upload.Collection, upload.OwnerId, upload.ImageId, format.Extension), ct);
            }
            swept++;
        }
        if (swept > 0) log.LogInformation("Cleared {Count} expired staging keys.", swept);
        return swept;
    }
}
