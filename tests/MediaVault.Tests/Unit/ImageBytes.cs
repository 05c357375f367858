using System.Buffers.Binary;
using NetVips;

namespace MediaVault.Tests.Unit;

/// <summary>Image files for header tests: libvips encodings with options, and JPEG segment surgery.</summary>
internal static class ImageBytes
{
    /// <summary>A <paramref name="width"/> x <paramref name="height"/> image saved as <paramref name="suffix"/>
    /// (libvips options allowed, e.g. ".webp[lossless]"); noisy pixels make files large.</summary>
    public static byte[] Make(int width, int height, string suffix, int bands = 3, bool noisy = false)
    {
        var pixels = new byte[width * height * bands];
        if (noisy) Random.Shared.NextBytes(pixels);
        else for (var i = 0; i < pixels.Length; i++) pixels[i] = (byte)(40 + 50 * (i % bands));
        using var image = NetVips.Image.NewFromMemory(pixels, width, height, bands, Enums.BandFormat.Uchar);
        return image.WriteToBuffer(suffix);
    }

    /// <summary>Offset of the first segment with <paramref name="marker"/> (e.g. 0xDA for SOS), walking the segment chain after SOI.</summary>
    public static int SegmentOffset(byte[] jpeg, byte marker)
    {
        var i = 2;
        while (i + 4 <= jpeg.Length && jpeg[i] == 0xFF)
        {
            if (jpeg[i + 1] == marker) return i;
            i += 2 + BinaryPrimitives.ReadUInt16BigEndian(jpeg.AsSpan(i + 2));
        }
        throw new InvalidOperationException($"No segment FF{marker:X2} in the JPEG.");
    }

    /// <summary>Offset just past the first segment with <paramref name="marker"/>.</summary>
    public static int SegmentEnd(byte[] jpeg, byte marker)
    {
        var offset = SegmentOffset(jpeg, marker);
        return offset + 2 + BinaryPrimitives.ReadUInt16BigEndian(jpeg.AsSpan(offset + 2));
    }

    /// <summary>The JPEG with an APPn segment of <paramref name="payloadLength"/> bytes inserted right after SOI.</summary>
    public static byte[] WithAppSegment(byte[] jpeg, int payloadLength, byte marker = 0xE1)
    {
        var segment = new byte[4 + payloadLength];
        segment[0] = 0xFF;
        segment[1] = marker;
        BinaryPrimitives.WriteUInt16BigEndian(segment.AsSpan(2), checked((ushort)(payloadLength + 2)));
        "Exif\0\0"u8.CopyTo(segment.AsSpan(4));
        Random.Shared.NextBytes(segment.AsSpan(10));
        return [.. jpeg.AsSpan(0, 2), .. segment, .. jpeg.AsSpan(2)];
    }

    /// <summary>The JPEG with the segment at <paramref name="offset"/> moved to just after SOI.</summary>
    public static byte[] WithSegmentMovedFirst(byte[] jpeg, int offset)
    {
        var length = 2 + BinaryPrimitives.ReadUInt16BigEndian(jpeg.AsSpan(offset + 2));
        return [.. jpeg.AsSpan(0, 2), .. jpeg.AsSpan(offset, length), .. jpeg.AsSpan(2, offset - 2), .. jpeg.AsSpan(offset + length)];
    }
}
