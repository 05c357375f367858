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
    public Task LockAsync(string userId, CancellationToken ct) =>
        // One statement on both databases: it makes the row or takes it (a row lock on PostgreSQL, the write lock on SQLite).
        db.Database.ExecuteSqlAsync($"""
            INSERT INTO "UsageLocks" ("UserId", "Version") VALUES ({userId}, 1)
            ON CONFLICT ("UserId") DO UPDATE SET "Version" = "UsageLocks"."Version" + 1
            """, ct);

    /// <summary>Everything in one query (one round trip on the path of every upload).</summary>
    public async Task<Usage> ReadAsync(string userId, CancellationToken ct)
    {
        var registrable = time.GetUtcNow().UtcDateTime - Cleanup.UploadSweeper.Grace;
        var usage = await db.Users.AsNoTracking().Where(u => u.Id == userId).Select(_ => new Usage(
            db.Images.LongCount(i => i.OwnerId == userId)
                + db.Uploads.LongCount(u => u.OwnerId == userId && u.Method == Upload.ProxiedMethod),
            (db.Images.Where(i => i.OwnerId == userId).Sum(i => (long?)i.Size) ?? 0)
                + (db.Uploads.Where(u => u.OwnerId == userId && u.Method == Upload.ProxiedMethod).Sum(u => (long?)u.DeclaredSize) ?? 0),
            db.Uploads.LongCount(u => u.OwnerId == userId && u.Method != Upload.ProxiedMethod
                && (u.State == UploadState.Pending || u.State == UploadState.Processing) && u.ExpiresAt >= registrable)))
            .SingleOrDefaultAsync(ct);
        return usage ?? new Usage(0, 0, 0);
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
