using MetadataExtractor;
using MetadataExtractor.Formats.Gif;
using MetadataExtractor.Formats.Jpeg;
using MetadataExtractor.Formats.Png;
using MetadataExtractor.Formats.WebP;
using MetadataExtractor.IO;

namespace MediaVault.Images;

public sealed record ImageFacts(ImageFormat Format, int Width, int Height);

/// <summary>
/// Reads the format and dimensions of an image from the first bytes of the file, without decoding
/// any pixels: MetadataExtractor's header readers, fed a prefix, stopping as soon as the size is known.
/// </summary>
public static class ImageInspector
{
    /// <summary>How much of a file is read up front: enough for any sane header (EXIF, ICC) before the frame.</summary>
    public const int PrefixLength = 1024 * 1024;

    public static (int Width, int Height)? ReadDimensions(ImageFormat format, byte[] prefix, int length)
    {
        try
        {
            return format == ImageFormat.Jpeg ? Jpeg(prefix, length)
                : format == ImageFormat.Png ? Png(prefix, length)
                : format == ImageFormat.Gif ? Gif(prefix, length)
                : format == ImageFormat.WebP ? WebP(prefix, length)
                : null;
        }
        catch (Exception e) when (e is IOException or MetadataExtractor.ImageProcessingException or MetadataExtractor.MetadataException or ArgumentException)
        {
            return null;
        }
    }

    private static (int, int)? Jpeg(byte[] prefix, int length)
    {
        // Segments are read lazily up to the scan (SOS). Every frame header is read: a file whose
        // frame headers disagree could show a small size to us and a huge one to a decoder.
        (int, int)? size = null;
        using var segments = JpegSegmentReader.ReadSegments(Reader(prefix, length), null).GetEnumerator();
        while (true)
        {
            try
            {
                if (!segments.MoveNext()) break;
            }
            catch (IOException) when (size is not null)
            {
                break; // the prefix ends after the frame header: what follows is scan data
            }
            var segment = segments.Current;
            if (!segment.Type.ToString().StartsWith("Sof", StringComparison.Ordinal)) continue;
            var dir = new JpegReader().Extract(segment);
            var frame = Valid(dir.GetInt32(JpegDirectory.TagImageWidth), dir.GetInt32(JpegDirectory.TagImageHeight));
            if (frame is null || (size is not null && size != frame)) return null;
            size = frame;
        }
        return size;
    }

    private static (int, int)? Png(byte[] prefix, int length)
    {
        // IHDR is always the first chunk: 8-byte signature, length, "IHDR", 13 bytes of header.
        if (length < 29 || !prefix.AsSpan(12, 4).SequenceEqual("IHDR"u8)) return null;
        var header = new PngHeader(prefix[16..29]);
        return Valid(header.ImageWidth, header.ImageHeight);
    }

    private static (int, int)? Gif(byte[] prefix, int length)
    {
        var dirs = GifMetadataReader.ReadMetadata(new MemoryStream(prefix, 0, length, writable: false));
        var screen = dirs.OfType<GifHeaderDirectory>().FirstOrDefault();
        if (screen is null) return null;
        var width = screen.GetInt32(GifHeaderDirectory.TagImageWidth);
        var height = screen.GetInt32(GifHeaderDirectory.TagImageHeight);
        // Decoders size their buffers by the frames too: a frame that reaches outside the logical
        // screen (a tiny screen, a 65535x65535 frame) is a bomb, not an image.
        foreach (var frame in dirs.OfType<GifImageDirectory>())
        {
            // A frame cut off by the end of the prefix may lack its numbers; the ones read are checked.
            if (frame.TryGetInt32(GifImageDirectory.TagLeft, out var left) && frame.TryGetInt32(GifImageDirectory.TagWidth, out var w) && left + w > width)
                return null;
            if (frame.TryGetInt32(GifImageDirectory.TagTop, out var top) && frame.TryGetInt32(GifImageDirectory.TagHeight, out var h) && top + h > height)
                return null;
        }
        return Valid(width, height);
    }

    private static (int, int)? WebP(byte[] prefix, int length)
    {
        // MetadataExtractor's RIFF reader loads a whole chunk before parsing it, and in the simple
        // layout the first chunk (VP8 / VP8L) is the entire picture. Its WebP handler needs only the
        // chunk's first bytes, so hand it those: RIFF header (12), chunk header (8), payload head.
        if (length < 25) return null;
        var fourCc = System.Text.Encoding.ASCII.GetString(prefix, 12, 4);
        var chunkSize = BitConverter.ToUInt32(prefix, 16);
        var payload = prefix.AsSpan(20, (int)Math.Min(Math.Min(chunkSize, (uint)(length - 20)), 64)).ToArray();
        var dirs = new List<MetadataExtractor.Directory>();
        var handler = new WebPRiffHandler(dirs);
        if (!handler.ShouldAcceptChunk(fourCc)) return null;
        handler.ProcessChunk(fourCc, payload);
        var dir = dirs.OfType<WebPDirectory>().FirstOrDefault(d => d.ContainsTag(WebPDirectory.TagImageWidth));
        return dir is null ? null : Valid(dir.GetInt32(WebPDirectory.TagImageWidth), dir.GetInt32(WebPDirectory.TagImageHeight));
    }

    private static SequentialReader Reader(byte[] prefix, int length) =>
        new SequentialStreamReader(new MemoryStream(prefix, 0, length, writable: false));

    private static (int, int)? Valid(int width, int height) => width > 0 && height > 0 ? (width, height) : null;
}
