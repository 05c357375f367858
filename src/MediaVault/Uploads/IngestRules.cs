using MediaVault.Images;

namespace MediaVault.Uploads;

/// <summary>Why an upload is refused: becomes an RFC 9457 problem with this status.</summary>
public sealed record Rejection(int Status, string Title, string Detail)
{
    public static readonly Rejection Empty = new(StatusCodes.Status400BadRequest, "Empty file", "The file has no content.");

    /// <summary>A completion that outlived its claim: another request took the upload over.</summary>
    public static readonly Rejection ClaimLost = new(StatusCodes.Status409Conflict, "Upload in progress",
        "This upload is being completed by another request; retry shortly.");

    public static Rejection TooLarge(long max) =>
        new(StatusCodes.Status413PayloadTooLarge, "File too large", $"The file is larger than this collection's limit of {max} bytes.");
}

/// <summary>The checks every upload passes, whichever path it came by. A processing step (re-encode,
/// thumbnails) joins the pipeline after these, in <see cref="ImageIngest"/>.</summary>
public static class IngestRules
{
    public static (ImageFacts? Facts, Rejection? Rejection) Inspect(
        byte[] prefix, int length, string? declaredType, CollectionOptions collection, long maxPixels)
    {
        var format = ImageFormat.Sniff(prefix.AsSpan(0, length));
        if (format is null)
            return (null, new(StatusCodes.Status415UnsupportedMediaType, "Unsupported file type",
                "The content is not a JPEG, PNG, GIF or WebP image. Types are read from the bytes; SVG and HTML are never accepted."));
        if (!collection.Allows(format))
            return (null, new(StatusCodes.Status415UnsupportedMediaType, "Type not allowed",
                $"{format.ContentType} is not allowed in this collection (allowed: {string.Join(", ", collection.AllowedTypes ?? [])})."));
        if (IsDeclared(declaredType) && ImageFormat.FromContentType(declaredType) != format)
            return (null, new(StatusCodes.Status422UnprocessableEntity, "Content does not match its type",
                $"The file was declared as '{declaredType}' but its content is {format.ContentType}."));
        if (ImageInspector.ReadDimensions(format, prefix, length) is not var (width, height))
            return (null, new(StatusCodes.Status422UnprocessableEntity, "Unreadable image",
                $"The {format.ContentType} header is damaged or its dimensions could not be read."));
        if ((long)width * height > maxPixels)
            return (null, new(StatusCodes.Status422UnprocessableEntity, "Too many pixels",
                $"The image declares {width}x{height} pixels; the limit is {maxPixels} pixels."));
        return (new ImageFacts(format, width, height), null);
    }

    /// <summary>A declaration we hold the bytes to: anything but "no idea".</summary>
    private static bool IsDeclared(string? type) =>
        !string.IsNullOrWhiteSpace(type) && !type.StartsWith("application/octet-stream", StringComparison.OrdinalIgnoreCase);
}
