using System.Buffers;
using MediaVault.Data;
using MediaVault.Images;
using MediaVault.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace MediaVault.Uploads;

/// <summary>
/// The upload pipeline, one place for both paths: read the head, inspect it (type from magic bytes,
/// declared type, pixel cap), then store under the final key and save the row, in an order that never
/// leaves a served row without its object nor keeps an object of a refused upload.
/// </summary>
public sealed partial class ImageIngest(IObjectStore store, MediaVaultDb db, Limits.Quotas quotas, IOptions<MediaOptions> media, TimeProvider time,
    ILogger<ImageIngest> log)
{
    public sealed record Outcome(Image? Image, Rejection? Rejection);

    /// <summary>Proxied path: the body streams to storage as it arrives, counted against the limit.
    /// <paramref name="beforeSave"/> may still refuse the upload once the object is stored (it is then deleted).
    /// An image saved with <paramref name="pendingUntil"/> is clean-up's to delete after that time unless something takes it.</summary>
    public async Task<Outcome> IngestStreamAsync(string ownerId, string collectionName, CollectionOptions collection,
        string? fileName, string? declaredType, Stream body, Func<CancellationToken, Task<Rejection?>> beforeSave, CancellationToken ct,
        DateTime? pendingUntil = null)
    {
        var prefix = ArrayPool<byte>.Shared.Rent(ImageInspector.PrefixLength);
        try
        {
            var length = await body.ReadAtLeastAsync(prefix.AsMemory(0, ImageInspector.PrefixLength), ImageInspector.PrefixLength, throwOnEndOfStream: false, ct);
            if (length == 0) return Reject(Rejection.Empty);
            if (length > collection.MaxBytes) return Reject(Rejection.TooLarge(collection.MaxBytes));
            var (facts, rejection) = IngestRules.Inspect(prefix, length, declaredType, collection, media.Value.MaxPixels);
            if (rejection is not null) return Reject(rejection);

            var image = NewImage(Guid.CreateVersion7(time.GetUtcNow()), ownerId, collectionName, fileName, facts!, key: null);
            image.PendingUntil = pendingUntil;
            // The key is named by a row before anything is written to it: if this process dies
            // mid-way, clean-up finds the row and removes what was written.
            var (reserved, overQuota) = await RecordIntentAsync(image, collection.MaxBytes, ct);
            if (reserved is not { } intent) return Reject(overQuota!);
            var content = new LimitedStream(new PrefixedStream(prefix, length, body), collection.MaxBytes);
            ObjectInfo stored;
            try
            {
                stored = await store.PutAsync(image.Key, content, facts!.Format.ContentType, ct);
            }
            catch (ContentLengthException)
            {
                await ForgetIntentAsync(intent); // refused before the store kept anything
                return Reject(Rejection.TooLarge(collection.MaxBytes));
            }
            // Any other failure may have left an object (a store that timed out can still finish the
            // write): the row stays, and clean-up removes whatever is at its key once the upload is over.
            image.Size = stored.Size;
            Rejection? late;
            try { late = await beforeSave(ct); }
            catch
            {
                if (await DeleteQuietlyAsync(image.Key)) await ForgetIntentAsync(intent);
                throw;
            }
            if (late is not null)
            {
                if (await DeleteQuietlyAsync(image.Key)) await ForgetIntentAsync(intent);
                return Reject(late);
            }
            if (await SaveOrRemoveObjectAsync(image, intent, ct) is { } refused)
            {
                // Streamed for so long that clean-up took the upload for a dead one: what it wrote goes.
                if (refused == Rejection.ClaimLost) await DeleteUnlessSavedAsync(image);
                else if (await DeleteQuietlyAsync(image.Key)) await ForgetIntentAsync(intent);
                return Reject(refused);
            }
            return new Outcome(image, null);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(prefix);
        }
    }

    /// <summary>Direct path: check what actually arrived at the staging key, then promote it.
    /// Returns null when nothing has arrived yet (the upload stays pending).</summary>
    public async Task<Outcome?> PromoteAsync(Upload upload, CancellationToken ct)
    {
        var collection = media.Value.Find(upload.Collection);
        if (collection is null)
            return Reject(new Rejection(StatusCodes.Status409Conflict, "Unknown collection", "The upload's collection no longer exists."));

        var staged = await InspectStoredAsync(upload.StagingKey!, upload.DeclaredType, collection, ct);
        if (staged is null) return null;
        if (staged.Rejection is not null)
        {
            if (!await StillClaimedAsync(upload)) return Reject(Rejection.ClaimLost);
            await store.DeleteAsync(upload.StagingKey!, ct);
            return staged;
        }

        var facts = staged.Image!;
        var image = NewImage(upload.ImageId, upload.OwnerId, upload.Collection, upload.Filename,
            new ImageFacts(ImageFormat.FromContentType(facts.ContentType)!, facts.Width, facts.Height),
            // Rows handed out before final keys were recorded get the key shape of their time, which clean-up knows.
            upload.FinalKey ?? StorageKeys.LegacyFinal(upload.Collection, upload.OwnerId, upload.ImageId, ImageFormat.FromContentType(facts.ContentType)!.Extension));
        if (!await store.CopyAsync(upload.StagingKey!, image.Key, image.ContentType, ct)) return null;

        // The client may still hold a valid upload URL for the staging key, but not for the final
        // key: checking the copy is checking what will be served.
        Outcome? final;
        try { final = await InspectStoredAsync(image.Key, upload.DeclaredType, collection, ct); }
        catch
        {
            if (await StillClaimedAsync(upload)) await DeleteUnlessSavedAsync(image);
            throw;
        }
        if (final?.Image is not { } verified || verified.ContentType != image.ContentType || verified.Width != image.Width || verified.Height != image.Height)
        {
            // A completion that outlived its claim leaves the keys to whoever took it over.
            if (!await StillClaimedAsync(upload)) return Reject(Rejection.ClaimLost);
            await DeleteUnlessSavedAsync(image);
            await store.DeleteAsync(upload.StagingKey!, ct);
            return final?.Rejection is not null ? final : Reject(new Rejection(StatusCodes.Status409Conflict, "Upload changed",
                "The uploaded object changed while it was being verified."));
        }
        image.Size = verified.Size;
        if (await SaveOrRemoveObjectAsync(image, upload, ct) is { } refused)
        {
            if (refused == Rejection.ClaimLost) return Reject(refused);
            // Over quota: refused like content that does not pass, so nothing of it stays.
            await DeleteUnlessSavedAsync(image);
            await DeleteQuietlyAsync(upload.StagingKey!);
            return Reject(refused);
        }
        await DeleteQuietlyAsync(upload.StagingKey!);
        return new Outcome(image, null);
    }

    /// <summary>Facts of a stored object as an unsaved <see cref="Image"/>, a rejection, or null when it is missing.</summary>
    private async Task<Outcome?> InspectStoredAsync(string key, string declaredType, CollectionOptions collection, CancellationToken ct)
    {
        var head = await store.HeadAsync(key, ct);
        if (head is null) return null;
        if (head.Size == 0) return Reject(Rejection.Empty);
        if (head.Size > collection.MaxBytes) return Reject(Rejection.TooLarge(collection.MaxBytes));

        var want = (int)Math.Min(head.Size, ImageInspector.PrefixLength);
        var prefix = ArrayPool<byte>.Shared.Rent(want);
        try
        {
            await using var content = await store.GetAsync(key, new ByteRange(0, want - 1), ct);
            if (content is null) return null;
            var length = await content.Body.ReadAtLeastAsync(prefix.AsMemory(0, want), want, throwOnEndOfStream: false, ct);
            var (facts, rejection) = IngestRules.Inspect(prefix, length, declaredType, collection, media.Value.MaxPixels);
            if (rejection is not null) return Reject(rejection);
            return new Outcome(new Image
            {
                OwnerId = "", Collection = "", Key = key, Filename = "", ContentType = facts!.Format.ContentType,
                Size = head.Size, Width = facts.Width, Height = facts.Height,
            }, null);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(prefix);
        }
    }

    private Image NewImage(Guid id, string ownerId, string collection, string? fileName, ImageFacts facts, string? key) => new()
    {
        Id = id,
        OwnerId = ownerId,
        Collection = collection,
        // Direct uploads recorded their final key when they were handed out (rows older than that did not).
        Key = key ?? StorageKeys.Final(collection, id, facts.Format.Extension),
        Filename = FileNames.Sanitize(fileName, facts.Format),
        ContentType = facts.Format.ContentType,
        Width = facts.Width,
        Height = facts.Height,
        CreatedAt = Image.Timestamp(time.GetUtcNow()),
    };

    private async Task DeleteUnlessSavedAsync(Image image)
    {
        try
        {
            if (await db.Images.AsNoTracking().AnyAsync(i => i.Id == image.Id, CancellationToken.None)) return;
        }
        catch (Exception e)
        {
            // Unknown whether a row holds it: keep the object; nothing a user stored may be lost.
            log.LogWarning(e, "Could not check image {ImageId}; keeping {Key}.", image.Id, image.Key);
            return;
        }
        await DeleteQuietlyAsync(image.Key);
    }

    /// <summary>Deletes an object that nothing serves; false when storage refused (clean-up tries again).</summary>
    private async Task<bool> DeleteQuietlyAsync(string key)
    {
        try
        {
            await store.DeleteAsync(key, CancellationToken.None);
            return true;
        }
        catch (Exception e)
        {
            log.LogWarning(e, "Could not delete {Key}; it is unreferenced.", key);
            return false;
        }
    }

    private static Outcome Reject(Rejection rejection) => new(null, rejection);
}
