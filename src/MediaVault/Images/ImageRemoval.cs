using MediaVault.Data;
using MediaVault.Storage;
using Microsoft.EntityFrameworkCore;

namespace MediaVault.Images;

/// <summary>How images go away, for every feature that deletes them: the row first (a row must never
/// point at a missing object), then the object. An object whose delete fails is unreferenced; it is
/// logged and the storage audit reports it.</summary>
public sealed class ImageRemoval(MediaVaultDb db, IObjectStore store, ILogger<ImageRemoval> log)
{
    /// <summary>Deletes the rows of these images (only those still there) and then their objects.</summary>
    public async Task DeleteAsync(IReadOnlyCollection<Image> images, CancellationToken ct)
    {
        if (images.Count == 0) return;
        var ids = images.Select(i => i.Id).ToList();
        await db.Images.Where(i => ids.Contains(i.Id)).ExecuteDeleteAsync(ct);
        await DeleteObjectsAsync(images);
    }

    /// <summary>The objects of images whose rows are already gone (in a transaction that committed).</summary>
    public async Task DeleteObjectsAsync(IEnumerable<Image> images)
    {
        foreach (var image in images.Where(i => !i.IsLegacyUrl))
        {
            try { await store.DeleteAsync(image.Key, CancellationToken.None); }
            catch (Exception e)
            {
                log.LogError(e, "Image {ImageId} deleted but its object {Key} could not be removed.", image.Id, image.Key);
            }
        }
    }

    /// <summary>Deletes images a request made and then gave up on, without failing the request further:
    /// whatever is left is pending and clean-up takes it.</summary>
    public async Task DiscardAsync(IReadOnlyCollection<Image> images)
    {
        try { await DeleteAsync(images, CancellationToken.None); }
        catch (Exception e)
        {
            log.LogWarning(e, "Could not discard {Count} images of a refused request; clean-up removes them.", images.Count);
        }
    }
}
