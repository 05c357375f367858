namespace MediaVault.Images;

/// <summary>An image format we accept, recognised from its magic bytes only.</summary>
public sealed record ImageFormat(string ContentType, string Extension)
{
    public static readonly ImageFormat Jpeg = new("image/jpeg", "jpg");
    public static readonly ImageFormat Png = new("image/png", "png");
    public static readonly ImageFormat Gif = new("image/gif", "gif");
    public static readonly ImageFormat WebP = new("image/webp", "webp");

    public static readonly IReadOnlyList<ImageFormat> All = [Jpeg, Png, Gif, WebP];

    /// <summary>Bytes needed to recognise any of them.</summary>
    public const int SniffLength = 12;

    /// <summary>The format the bytes are, or null (SVG, HTML, text, anything else).</summary>
    public static ImageFormat? Sniff(ReadOnlySpan<byte> head)
    {
        if (head.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF])) return Jpeg;
        if (head.StartsWith((ReadOnlySpan<byte>)[0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A])) return Png;
        if (head.StartsWith("GIF87a"u8) || head.StartsWith("GIF89a"u8)) return Gif;
        if (head.Length >= 12 && head.StartsWith("RIFF"u8) && head[8..12].SequenceEqual("WEBP"u8)) return WebP;
        return null;
    }

    /// <summary>Our canonical type for a declared one, tolerating common aliases; null when it is no image type we know.</summary>
    public static ImageFormat? FromContentType(string? declared)
    {
        var type = declared?.Split(';', 2)[0].Trim().ToLowerInvariant();
        return type switch
        {
            "image/jpeg" or "image/jpg" or "image/pjpeg" => Jpeg,
            "image/png" or "image/x-png" => Png,
            "image/gif" => Gif,
            "image/webp" => WebP,
            _ => null,
        };
    }
}
