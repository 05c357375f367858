using MediaVault.Data;
using MediaVault.Images;
using MediaVault.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace MediaVault.Uploads;

/// <summary>The direct-upload life cycle: pending (URL handed out) -> processing (claimed by one
/// completion) -> completed (image saved) or rejected (object deleted).</summary>
public sealed class DirectUploads(MediaVaultDb db, IObjectStore store, ImageIngest ingest, Limits.Quotas quotas,
    IOptions<StorageOptions> storage, TimeProvider time, ILogger<DirectUploads> log)
{
    // A completion that died mid-way (process killed) releases its claim after this long: well above the
    // worst live completion (a handful of storage calls, each bounded by Storage:Timeout).
    internal static readonly TimeSpan ClaimTimeout = TimeSpan.FromMinutes(5);

    /// <summary>The upload URL, or the quota that refuses it (outstanding uploads; files and bytes as they stand).</summary>
    public async Task<(PresignUploadResponse? Response, Rejection? Refused)> PresignAsync(string ownerId, string collectionName, CollectionOptions collection,
        ImageFormat declared, string fileName, long size, bool post, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var id = Guid.CreateVersion7(now);
        var imageId = Guid.CreateVersion7(now);
        var key = StorageKeys.Staging(id);
        var lifetime = storage.Value.UploadUrlLifetime;
        PresignUploadResponse response;
        if (post)
        {
            var p = store.PresignPost(key, declared.ContentType, collection.MaxBytes, lifetime);
            response = new(id, key, "POST", p.Url.AbsoluteUri, new Dictionary<string, string>(), p.Fields, p.ExpiresAt);
        }
        else
        {
            var p = store.PresignPut(key, declared.ContentType, lifetime);
            response = new(id, key, "PUT", p.Url.AbsoluteUri, p.Headers, new Dictionary<string, string>(), p.ExpiresAt);
        }
        var upload = new Upload
        {
            Id = id, OwnerId = ownerId, Collection = collectionName, StagingKey = key, ImageId = imageId,
            FinalKey = StorageKeys.Final(collectionName, imageId, declared.Extension),
            Filename = fileName, DeclaredType = declared.ContentType, DeclaredSize = size, Method = response.Method,
            State = UploadState.Pending, CreatedAt = now.UtcDateTime, ExpiresAt = response.ExpiresAt.UtcDateTime,
        };
        using var queued = await quotas.QueueAsync(ownerId, ct);
        var refused = await db.InTransactionAsync(async token =>
        {
            await quotas.LockAsync(ownerId, token);
            if (await quotas.CheckPresignAsync(ownerId, size, token) is { } over) return (over, false);
            db.Uploads.Add(upload);
            await db.SaveChangesAsync(token);
            return ((Rejection?)null, true);
        }, ct);
        return refused is null ? (response, null) : (null, refused);
    }

    public sealed record Completion(Image? Image, Rejection? Rejection, bool NotFound = false);

    public async Task<Completion> CompleteAsync(string ownerId, Guid? uploadId, string? key, string? fileName, string? declaredType, CancellationToken ct)
    {
        var upload = await db.Uploads.AsNoTracking()
            .Where(u => u.OwnerId == ownerId && (uploadId != null ? u.Id == uploadId : u.StagingKey == key))
            .SingleOrDefaultAsync(ct);
        if (upload is null) return new(null, null, NotFound: true);
        // The type was declared (and, for PUT, signed) at presign; registering it as another type is a contradiction.
        if (!string.IsNullOrWhiteSpace(declaredType) && ImageFormat.FromContentType(declaredType) != ImageFormat.FromContentType(upload.DeclaredType))
            return new(null, new Rejection(StatusCodes.Status422UnprocessableEntity, "Type differs from the presigned one",
                $"This upload was presigned for {upload.DeclaredType}, not '{declaredType}'."));

        var now = time.GetUtcNow().UtcDateTime;
        var stale = now - ClaimTimeout;
        var swept = now - Cleanup.UploadSweeper.Grace;
        var token = Guid.NewGuid();
        // Unsettled, not yet the clean-up's, and not claimed by a live completion or clean-up run.
        var claimed = await db.Uploads
            .Where(u => u.Id == upload.Id && (u.State == UploadState.Pending || u.State == UploadState.Processing) && u.ExpiresAt >= swept)
            .Where(Upload.Claimable(stale, token))
            .ExecuteUpdateAsync(s => s.SetProperty(u => u.State, UploadState.Processing)
                .SetProperty(u => u.ClaimedAt, now).SetProperty(u => u.ClaimToken, token), ct);
        if (claimed == 0) return await SettledAsync(upload.Id, ct);

        if (!string.IsNullOrWhiteSpace(fileName)) upload.Filename = fileName;
        upload.State = UploadState.Processing;
        upload.ClaimedAt = now;
        upload.ClaimToken = token; // the completion only counts while this claim is still ours
        try
        {
            var outcome = await ingest.PromoteAsync(upload, ct);
            if (outcome?.Rejection == Rejection.ClaimLost) return await SettledAsync(upload.Id, ct);
            if (outcome is null)
            {
                await SetStateAsync(upload, UploadState.Pending);
                return new(null, new Rejection(StatusCodes.Status409Conflict, "Nothing uploaded yet",
                    "No object has arrived for this upload. Upload the file to the URL first, then register it."));
            }
            if (outcome.Rejection is not null)
            {
                await SetStateAsync(upload, UploadState.Rejected);
                return new(null, outcome.Rejection);
            }
            return new(outcome.Image, null);
        }
        catch
        {
            await SetStateAsync(upload, UploadState.Pending);
            throw;
        }
    }

    private async Task<Completion> SettledAsync(Guid uploadId, CancellationToken ct)
    {
        var upload = await db.Uploads.AsNoTracking().SingleAsync(u => u.Id == uploadId, ct);
        if (upload.State is UploadState.Pending or UploadState.Processing
            && upload.ExpiresAt < time.GetUtcNow().UtcDateTime - Cleanup.UploadSweeper.Grace)
            return new(null, new Rejection(StatusCodes.Status409Conflict, "Upload expired",
                "This upload's URL expired too long ago to register it; request a new upload."));
        if (upload.State == UploadState.Completed)
        {
            var image = await db.Images.AsNoTracking().SingleOrDefaultAsync(i => i.Id == upload.ImageId, ct);
            if (image is not null) return new(image, null);
            return new(null, new Rejection(StatusCodes.Status409Conflict, "Upload already used", "This upload was completed and its image has since been deleted."));
        }
        if (upload.State == UploadState.Rejected)
            return new(null, new Rejection(StatusCodes.Status409Conflict, "Upload refused", "This upload was refused and its object deleted; request a new upload."));
        return new(null, new Rejection(StatusCodes.Status409Conflict, "Upload in progress", "This upload is being completed by another request; retry shortly."));
    }

    /// <summary>Settles this request's claim; a claim another request has taken over is left alone.</summary>
    private async Task SetStateAsync(Upload upload, UploadState state)
    {
        try
        {
            // Not the request's token: a cancelled request must still release its claim.
            await db.Uploads.Where(u => u.Id == upload.Id && u.ClaimToken == upload.ClaimToken)
                .ExecuteUpdateAsync(s => s.SetProperty(u => u.State, state).SetProperty(u => u.ClaimToken, (Guid?)null), CancellationToken.None);
        }
        catch (Exception e)
        {
            log.LogWarning(e, "Could not set upload {UploadId} to {State}; its claim times out.", upload.Id, state);
        }
    }
}

public sealed record PresignUploadResponse(
    Guid UploadId, string Key, string Method, string Url,
    IReadOnlyDictionary<string, string> Headers, IReadOnlyDictionary<string, string> Fields, DateTimeOffset ExpiresAt);
