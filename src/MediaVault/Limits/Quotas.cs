using MediaVault.Data;
using MediaVault.Uploads;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace MediaVault.Limits;

public sealed record Usage(long Files, long Bytes, long OutstandingUploads);

/// <summary>Per-user quotas. Stored files and bytes count images plus proxied uploads in flight (each
/// holds one file and its collection's maximum size until it settles into an image); outstanding uploads
/// are direct uploads that can still be registered.</summary>
public sealed class Quotas(MediaVaultDb db, DatabaseProvider provider, IOptions<QuotaOptions> options, TimeProvider time)
{
    public QuotaOptions Limits => options.Value;

    /// <summary>Hold around the transaction that calls <see cref="LockAsync"/>.</summary>
    public Task<IDisposable?> QueueAsync(string userId, CancellationToken ct) => provider.QueueAsync(userId, ct);

    /// <summary>Takes the user's usage lock until the surrounding transaction ends. Call it first in the transaction.</summary>
    public async Task LockAsync(string userId, CancellationToken ct)
    {
        await db.Database.ExecuteSqlAsync(
            $"""INSERT INTO "UsageLocks" ("UserId", "Version") VALUES ({userId}, 0) ON CONFLICT DO NOTHING""", ct);
        await db.UsageLocks.Where(u => u.UserId == userId)
            .ExecuteUpdateAsync(s => s.SetProperty(u => u.Version, u => u.Version + 1), ct);
    }

    public async Task<Usage> ReadAsync(string userId, CancellationToken ct)
    {
        var images = db.Images.AsNoTracking().Where(i => i.OwnerId == userId);
        var inFlight = db.Uploads.AsNoTracking().Where(u => u.OwnerId == userId && u.Method == Upload.ProxiedMethod);
        var registrable = time.GetUtcNow().UtcDateTime - Cleanup.UploadSweeper.Grace;
        var files = await images.LongCountAsync(ct) + await inFlight.LongCountAsync(ct);
        var bytes = (await images.SumAsync(i => (long?)i.Size, ct) ?? 0) + (await inFlight.SumAsync(u => (long?)u.DeclaredSize, ct) ?? 0);
        var outstanding = await db.Uploads.AsNoTracking().LongCountAsync(u => u.OwnerId == userId && u.Method != Upload.ProxiedMethod
            && (u.State == UploadState.Pending || u.State == UploadState.Processing) && u.ExpiresAt >= registrable, ct);
        return new Usage(files, bytes, outstanding);
    }

    /// <summary>Whether one more file of <paramref name="bytes"/> fits beside what the user holds; call under <see cref="LockAsync"/>.</summary>
    public async Task<Rejection?> CheckStoreAsync(string userId, long bytes, CancellationToken ct)
    {
        var usage = await ReadAsync(userId, ct);
        if (usage.Files + 1 > Limits.Files) return FilesFull(usage);
        if (usage.Bytes + bytes > Limits.Bytes) return BytesFull(usage, bytes);
        return null;
    }

    /// <summary>Whether one more direct upload may be handed out; call under <see cref="LockAsync"/>.
    /// The file and byte quotas are checked again, under the lock, when it is registered.</summary>
    public async Task<Rejection?> CheckPresignAsync(string userId, long declaredBytes, CancellationToken ct)
    {
        var usage = await ReadAsync(userId, ct);
        if (usage.OutstandingUploads + 1 > Limits.OutstandingUploads)
            return new(StatusCodes.Status403Forbidden, "Upload quota reached",
                $"Quota 'outstandingUploads': {usage.OutstandingUploads} of {Limits.OutstandingUploads} uploads are handed out and not registered; register them or let them expire.");
        if (usage.Files + 1 > Limits.Files) return FilesFull(usage);
        if (usage.Bytes + declaredBytes > Limits.Bytes) return BytesFull(usage, declaredBytes);
        return null;
    }

    private Rejection FilesFull(Usage usage) => new(StatusCodes.Status403Forbidden, "File quota reached",
        $"Quota 'files': you store {usage.Files} of {Limits.Files} files; delete some to upload more.");

    private Rejection BytesFull(Usage usage, long bytes) => new(StatusCodes.Status403Forbidden, "Storage quota reached",
        $"Quota 'bytes': you store or have reserved {usage.Bytes} of {Limits.Bytes} bytes; this upload needs up to {bytes} more. Delete some to upload more.");
}
