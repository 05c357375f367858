using NetVips;

namespace MediaVault.Tests.Infrastructure;

/// <summary>Real image files made with libvips, in any size and format.</summary>
public static class TestImages
{
    public static byte[] Png(int width = 64, int height = 48) => Make(width, height, ".png");
    public static byte[] Jpeg(int width = 64, int height = 48) => Make(width, height, ".jpg");
    public static byte[] Gif(int width = 64, int height = 48) => Make(width, height, ".gif");
    public static byte[] WebP(int width = 64, int height = 48) => Make(width, height, ".webp");

    /// <summary>A valid image padded to about <paramref name="size"/> bytes with a trailing blob,
    /// so large uploads can be made without encoding large pictures.</summary>
    public static byte[] PaddedPng(int size)
    {
        var png = Png();
        var result = new byte[Math.Max(size, png.Length)];
        png.CopyTo(result, 0);
        Random.Shared.NextBytes(result.AsSpan(png.Length));
        return result;
    }

    /// <summary>A PNG whose header declares <paramref name="width"/> x <paramref name="height"/>
    /// (a decompression bomb's header), without the pixel data.</summary>
    public static byte[] PngHeaderOnly(int width, int height)
    {
        var png = Png(1, 1);
        var result = (byte[])png.Clone();
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(result.AsSpan(16), width);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(result.AsSpan(20), height);
        return result;
    }

    private static byte[] Make(int width, int height, string suffix)
    {
        using var black = NetVips.Image.Black(width, height, bands: 3);
        using var coloured = black + new double[] { 200, 80, 30 };
        using var image = coloured.Cast(Enums.BandFormat.Uchar);
        return image.WriteToBuffer(suffix);
    }
}
