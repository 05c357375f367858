using MediaVault.Data;
using MediaVault.Images;
using MediaVault.Storage;
using MediaVault.Uploads;
using Microsoft.EntityFrameworkCore;

namespace MediaVault.Cleanup;

/// <summary>
/// Finishes what uploads left behind. Once an upload's URL (or a proxied upload's time) has been over
/// for <see cref="Grace"/>, its staging object goes, so does its final object unless an image row names
/// it (a completion that died after writing), and the row is settled; settled rows go after
/// <see cref="Retention"/>. Safe with many instances: each row is claimed with a token before anything
/// is deleted, and a run that dies half-way leaves a claim that times out and a row the next run redoes.
/// </summary>
public sealed class UploadSweeper(IServiceScopeFactory scopes, TimeProvider time, ILogger<UploadSweeper> log)
{
    public static readonly TimeSpan Grace = TimeSpan.FromHours(1);
    public static readonly TimeSpan Retention = TimeSpan.FromDays(7);
    private const int Batch = 200;

    /// <summary>Sweeps one batch; returns the uploads this call settled (no other caller settles them too).</summary>
    public async Task<IReadOnlyList<Guid>> SweepOnceAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MediaVaultDb>();
        var store = scope.ServiceProvider.GetRequiredService<IObjectStore>();
        var start = time.GetUtcNow().UtcDateTime;
        var cutoff = start - Grace;
        var stale = start - DirectUploads.ClaimTimeout;
        var due = await db.Uploads.AsNoTracking()
            .Where(u => !u.StagingSwept && u.ExpiresAt < cutoff).Where(Upload.Claimable(stale))
            .OrderBy(u => u.ExpiresAt).Take(Batch)
            .ToListAsync(ct);
        var settled = new List<Guid>();
        foreach (var upload in due)
        {
            // One bad row (storage refusing its delete) must not stop the others: its claim times out and
            // a later run tries it again.
            try
            {
                if (await SettleAsync(db, store, upload, ct)) settled.Add(upload.Id);
            }
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                log.LogWarning(e, "Clean-up could not settle upload {UploadId}; a later run retries it.", upload.Id);
            }
        }
        var now = time.GetUtcNow().UtcDateTime;
        var purged = await db.Uploads
            .Where(u => u.StagingSwept && u.ExpiresAt < now - Retention && u.ClaimToken == null)
            .ExecuteDeleteAsync(ct);
        if (settled.Count > 0 || purged > 0)
            log.LogInformation("Clean-up settled {Settled} expired uploads and removed {Purged} old upload records.", settled.Count, purged);
        return settled;
    }

    /// <summary>Claims one upload and finishes it; false when another instance holds it. The time is read per
    /// row: a long batch must not claim later rows with a time that is already stale.</summary>
    private async Task<bool> SettleAsync(MediaVaultDb db, IObjectStore store, Upload upload, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var stale = now - DirectUploads.ClaimTimeout;
        var token = Guid.NewGuid();
        var claimed = await db.Uploads
            .Where(u => u.Id == upload.Id && !u.StagingSwept).Where(Upload.Claimable(stale, token))
            .ExecuteUpdateAsync(s => s.SetProperty(u => u.ClaimToken, token).SetProperty(u => u.ClaimedAt, now), ct);
        if (claimed == 0) return false; // another instance has it
        if (upload.StagingKey is not null) await store.DeleteAsync(upload.StagingKey, ct);
        var finalKey = upload.FinalKey ?? LegacyFinalKey(upload);
        var served = finalKey is not null && await db.Images.AnyAsync(i => i.Key == finalKey, ct);
        if (finalKey is not null && !served) await store.DeleteAsync(finalKey, ct);

        var mine = db.Uploads.Where(u => u.Id == upload.Id && u.ClaimToken == token);
        if (upload.Method == Upload.ProxiedMethod)
            await mine.ExecuteDeleteAsync(ct); // nobody asks about a proxied upload again
        else
            await mine.ExecuteUpdateAsync(s => s
                .SetProperty(u => u.StagingSwept, true)
                .SetProperty(u => u.ClaimToken, (Guid?)null)
                .SetProperty(u => u.State, u => u.State == UploadState.Completed || served ? UploadState.Completed : UploadState.Rejected), ct);
        return true;
    }

    /// <summary>Rows made before final keys were recorded (and before keys lost the owner's id): the key a
    /// completion of the declared type wrote then.</summary>
    internal static string? LegacyFinalKey(Upload upload) =>
        ImageFormat.FromContentType(upload.DeclaredType) is { } format
            ? StorageKeys.LegacyFinal(upload.Collection, upload.OwnerId, upload.ImageId, format.Extension)
            : null;
}
