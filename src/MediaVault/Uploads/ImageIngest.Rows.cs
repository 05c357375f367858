using MediaVault.Data;
using MediaVault.Images;
using Microsoft.EntityFrameworkCore;

namespace MediaVault.Uploads;

/// <summary>The rows of the pipeline: the claim that names a key before it is written, and the one
/// transaction that turns a claim into a served image.</summary>
public sealed partial class ImageIngest
{
    /// <summary>How long a proxied upload may stream before clean-up takes it for one whose process died.</summary>
    internal static readonly TimeSpan ProxiedUploadLifetime = TimeSpan.FromHours(6);

    /// <summary>The row that reserves the quota for a proxied upload (a file, and the collection's
    /// maximum size until the real size is known), or the quota it does not fit in.</summary>
    private async Task<(Upload? Intent, Rejection? Refused)> RecordIntentAsync(Image image, long maxBytes, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var intent = new Upload
        {
            Id = Guid.CreateVersion7(), OwnerId = image.OwnerId, Collection = image.Collection, StagingKey = null, FinalKey = image.Key,
            ImageId = image.Id, Filename = image.Filename, DeclaredType = image.ContentType, DeclaredSize = maxBytes, Method = Upload.ProxiedMethod,
            State = UploadState.Processing, CreatedAt = now, ExpiresAt = now + ProxiedUploadLifetime, ClaimedAt = now, ClaimToken = Guid.NewGuid(),
        };
        using var queued = await quotas.QueueAsync(image.OwnerId, ct);
        var refused = await db.InTransactionAsync(async token =>
        {
            await quotas.LockAsync(image.OwnerId, token);
            if (await quotas.CheckStoreAsync(image.OwnerId, maxBytes, token) is { } over) return (over, false);
            db.Uploads.Add(intent);
            await db.SaveChangesAsync(token);
            return ((Rejection?)null, true);
        }, ct);
        return refused is null ? (intent, null) : (null, refused);
    }

    /// <summary>Whether this request still holds its claim on the upload (unknown counts as no: keep the keys).</summary>
    private async Task<bool> StillClaimedAsync(Upload upload)
    {
        try { return await db.Uploads.AsNoTracking().AnyAsync(u => u.Id == upload.Id && u.ClaimToken == upload.ClaimToken, CancellationToken.None); }
        catch (Exception e)
        {
            log.LogWarning(e, "Could not check the claim on upload {UploadId}; leaving its objects to clean-up.", upload.Id);
            return false;
        }
    }

    /// <summary>A proxied upload that wrote nothing (or deleted what it wrote) needs no clean-up.</summary>
    private async Task ForgetIntentAsync(Upload intent)
    {
        try
        {
            await db.Uploads.Where(u => u.Id == intent.Id && u.ClaimToken == intent.ClaimToken).ExecuteDeleteAsync(CancellationToken.None);
        }
        catch (Exception e)
        {
            log.LogWarning(e, "Could not remove the record of proxied upload {UploadId}; clean-up removes it.", intent.Id);
        }
    }

    /// <summary>The object exists before its row; if the row cannot be saved the object goes too, unless
    /// an image row holds that key after all (another claimant of the same upload saved it). Returns false
    /// when the claim on <paramref name="upload"/> was lost to another completion or a clean-up run.
    /// The quota is checked in the same transaction, under the user's usage lock: a proxied upload fits
    /// in what it reserved; a direct one is where two uploads racing for the last file meet.</summary>
    private async Task<Rejection?> SaveOrRemoveObjectAsync(Image image, Upload upload, CancellationToken ct)
    {
        using var queued = await quotas.QueueAsync(image.OwnerId, ct);
        try
        {
            // The whole transaction is what a retrying database strategy repeats after a broken connection.
            return await db.Database.CreateExecutionStrategy().ExecuteAsync(async token =>
            {
                db.ChangeTracker.Clear();
                await using var transaction = await db.Database.BeginTransactionAsync(token);
                await quotas.LockAsync(image.OwnerId, token);
                // Only while the claim is still this request's: a claim that timed out may have been taken over.
                var mine = db.Uploads.Where(u => u.Id == upload.Id && u.ClaimToken == upload.ClaimToken);
                var ours = upload.Method == Upload.ProxiedMethod
                    ? await mine.ExecuteDeleteAsync(token) // a proxied upload's row has done its job
                    : await mine.ExecuteUpdateAsync(s => s.SetProperty(u => u.State, UploadState.Completed)
                        .SetProperty(u => u.ClaimToken, (Guid?)null), token);
                // None left to take: another claimant won, or this is a retry of our own attempt whose
                // commit went through unseen. Either way the image exists if and only if it was saved.
                if (ours == 0) return await db.Images.AsNoTracking().AnyAsync(i => i.Id == image.Id, token) ? null : Rejection.ClaimLost;
                // Rolled back, the claim is still ours: the caller settles it.
                if (await quotas.CheckStoreAsync(image.OwnerId, image.Size, token) is { } over) return over;
                db.Images.Add(image);
                await db.SaveChangesAsync(token);
                await transaction.CommitAsync(token);
                return (Rejection?)null;
            }, ct);
        }
        catch
        {
            db.ChangeTracker.Clear();
            await DeleteUnlessSavedAsync(image);
            throw;
        }
    }
}
