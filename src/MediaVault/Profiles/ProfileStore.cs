using MediaVault.Data;
using MediaVault.Images;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace MediaVault.Profiles;

/// <summary>Profiles and their pictures. A picture is one of the user's images in the profiles collection,
/// pending (clean-up's after the preview lifetime) until a save takes it; the picture it replaces goes.</summary>
public sealed class ProfileStore(MediaVaultDb db, DatabaseProvider database, ImageUrls urls, ImageRemoval removal,
    IOptions<ProfilesOptions> options, TimeProvider time)
{
    public string Collection => options.Value.Collection;

    public DateTime PreviewUntil() => time.GetUtcNow().UtcDateTime + options.Value.PreviewLifetime;

    public async Task<ProfileDto> ReadAsync(string userId, CancellationToken ct)
    {
        var profile = await db.Profiles.AsNoTracking().SingleOrDefaultAsync(p => p.UserId == userId, ct);
        var (url, expires) = (await PictureUrlsAsync([profile?.PictureKey], ct)).GetValueOrDefault(profile?.PictureKey ?? "");
        return new ProfileDto(userId, profile?.DisplayName, profile?.PictureKey, url, expires);
    }

    /// <summary>Saves what the request sets; null when <paramref name="request"/>'s picture is not one the user uploaded there.</summary>
    public async Task<ProfileDto?> UpdateAsync(string userId, string? displayName, UpdateProfileRequest request, CancellationToken ct)
    {
        var key = request.PictureKey.Value;
        var collection = Collection;
        var now = Image.Timestamp(time.GetUtcNow());
        await EnsureRowAsync(userId, now, ct);
        var (saved, replaced) = await db.InTransactionAsync<(bool, string?)>(async token =>
        {
            // Takes the row lock first, so two saves of one profile apply one after the other.
            await db.Profiles.Where(p => p.UserId == userId).ExecuteUpdateAsync(s => s.SetProperty(p => p.UpdatedAt, now), token);
            var profile = await db.Profiles.SingleAsync(p => p.UserId == userId, token);
            profile.UpdatedAt = now;
            if (request.DisplayName.IsSet) profile.DisplayName = displayName;
            string? old = null;
            if (request.PictureKey.IsSet && key != profile.PictureKey)
            {
                // Taken only while it is still there: clean-up deletes a pending row only if no save took it first.
                if (key is not null && await db.Images.Where(i => i.Key == key && i.OwnerId == userId && i.Collection == collection)
                        .ExecuteUpdateAsync(s => s.SetProperty(i => i.PendingUntil, (DateTime?)null), token) == 0)
                    return ((false, null), false);
                old = profile.PictureKey;
                profile.PictureKey = key;
            }
            await db.SaveChangesAsync(token);
            return ((true, old), true);
        }, ct);
        if (!saved) return null;
        if (replaced is not null && !Profile.IsLegacyUrl(replaced))
        {
            var images = await db.Images.AsNoTracking().Where(i => i.Key == replaced && i.OwnerId == userId).ToListAsync(CancellationToken.None);
            await removal.DeleteAsync(images, CancellationToken.None);
        }
        return await ReadAsync(userId, ct);
    }

    /// <summary>The first save makes the (empty) row on its own, so that saves racing it all find a row to lock:
    /// a second insert of the same user loses on the key and is simply not needed.</summary>
    private async Task EnsureRowAsync(string userId, DateTime now, CancellationToken ct)
    {
        if (await db.Profiles.AnyAsync(p => p.UserId == userId, ct)) return;
        db.Profiles.Add(new Profile { UserId = userId, UpdatedAt = now });
        try { await db.SaveChangesAsync(ct); }
        catch (DbUpdateException e) when (e.InnerException is System.Data.Common.DbException inner && database.Classify(inner) == DbFailure.UniqueViolation) { }
        finally { db.ChangeTracker.Clear(); }
    }

    /// <summary>Fresh URLs for picture keys, in one query: legacy full URLs as they are, keys whose image is gone omitted.</summary>
    public async Task<Dictionary<string, (string Url, DateTimeOffset? ExpiresAt)>> PictureUrlsAsync(IEnumerable<string?> keys, CancellationToken ct)
    {
        var all = keys.OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        var result = all.Where(Profile.IsLegacyUrl).ToDictionary(k => k, k => (k, (DateTimeOffset?)null), StringComparer.Ordinal);
        var stored = all.Where(k => !Profile.IsLegacyUrl(k)).ToList();
        if (stored.Count == 0) return result;
        var collection = Collection;
        foreach (var image in await db.Images.AsNoTracking().Where(i => stored.Contains(i.Key) && i.Collection == collection).ToListAsync(ct))
        {
            var url = urls.For(image);
            result[image.Key] = (url.Url, url.ExpiresAt);
        }
        return result;
    }
}
