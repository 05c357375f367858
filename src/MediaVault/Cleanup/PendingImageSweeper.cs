using MediaVault.Data;
using MediaVault.Images;
using Microsoft.EntityFrameworkCore;

namespace MediaVault.Cleanup;

/// <summary>Deletes images nothing took in time: profile pictures uploaded for a preview and never saved,
/// and the files of a product request that died before the product was made. A row goes only while it is
/// still pending (a save that takes it first wins), then its object.</summary>
public sealed class PendingImageSweeper(IServiceScopeFactory scopes, TimeProvider time, ILogger<PendingImageSweeper> log)
{
    private const int Batch = 200;

    /// <summary>Sweeps one batch; returns how many images this call deleted.</summary>
    public async Task<int> SweepOnceAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MediaVaultDb>();
        var removal = scope.ServiceProvider.GetRequiredService<ImageRemoval>();
        var now = time.GetUtcNow().UtcDateTime;
        var due = await db.Images.AsNoTracking().Where(i => i.PendingUntil != null && i.PendingUntil < now)
            .OrderBy(i => i.PendingUntil).Take(Batch).ToListAsync(ct);
        var deleted = new List<Image>();
        foreach (var image in due)
            if (await db.Images.Where(i => i.Id == image.Id && i.PendingUntil != null && i.PendingUntil < now).ExecuteDeleteAsync(ct) == 1)
                deleted.Add(image);
        await removal.DeleteObjectsAsync(deleted);
        if (deleted.Count > 0) log.LogInformation("Clean-up deleted {Count} pending images nothing took in time.", deleted.Count);
        return deleted.Count;
    }
}
