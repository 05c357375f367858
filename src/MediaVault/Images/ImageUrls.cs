using MediaVault.Storage;
using Microsoft.Extensions.Options;

namespace MediaVault.Images;

/// <summary>Turns a stored key into the URL a client may use right now: fresh signed GET URLs for
/// private collections, clean URLs for public ones, legacy full URLs as they are.</summary>
public sealed class ImageUrls(IObjectStore store, IOptions<MediaOptions> media)
{
    public SignedUrlDto For(Image image)
    {
        if (image.IsLegacyUrl) return new SignedUrlDto(image.Key, null);
        var collection = media.Value.Find(image.Collection);
        if (collection is { IsPublic: true }) return new SignedUrlDto(store.GetPublicUrl(image.Key).AbsoluteUri, null);
        var lifetime = collection?.UrlLifetime ?? TimeSpan.FromHours(1);
        // Pin the verified type and a safe disposition, whatever the object's metadata says.
        var signed = store.PresignGet(image.Key, lifetime, image.ContentType, FileNames.InlineDisposition(image.Filename));
        return new SignedUrlDto(signed.Url.AbsoluteUri, signed.ExpiresAt);
    }

    public ImageDto ToDto(Image image)
    {
        var url = For(image);
        return new ImageDto(image.Id, image.Key, image.Filename, image.ContentType, image.Size, image.Width, image.Height,
            image.Collection, new DateTimeOffset(DateTime.SpecifyKind(image.CreatedAt, DateTimeKind.Utc)), url.Url, url.ExpiresAt);
    }
}
