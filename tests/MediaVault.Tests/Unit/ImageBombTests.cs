using MediaVault.Images;
using MediaVault.Tests.Infrastructure;

namespace MediaVault.Tests.Unit;

/// <summary>Headers built to show a small size to an inspector and a huge one to a decoder.</summary>
public sealed class ImageBombTests
{
    [Fact]
    public void GifWithAFrameLargerThanItsScreenIsUnreadable()
    {
        byte[] gif =
        [
            .. "GIF89a"u8, 1, 0, 1, 0, 0x80, 0, 0, // 1x1 logical screen, 2-colour global table
            0, 0, 0, 255, 255, 255,
            0x2C, 0, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0, // image descriptor: 65535x65535 at 0,0
            2, 2, 0x4C, 0x01, 0, // LZW minimum code size, one data sub-block, terminator
            0x3B,
        ];
        Assert.Null(ImageInspector.ReadDimensions(ImageFormat.Gif, gif, gif.Length));
    }

    [Fact]
    public void GifWithFramesInsideItsScreenReadsTheScreen()
    {
        var gif = TestImages.Gif(30, 20);
        Assert.Equal((30, 20), ImageInspector.ReadDimensions(ImageFormat.Gif, gif, gif.Length));
    }

    [Fact]
    public void JpegWithTwoDisagreeingFrameHeadersIsUnreadable()
    {
        var jpeg = TestImages.Jpeg(3, 2);
        var sof = FindSof0(jpeg);
        var length = (jpeg[sof + 2] << 8) | jpeg[sof + 3];
        var second = jpeg[sof..(sof + 2 + length)];
        second[5] = 0xEA; second[6] = 0x60; // height 60000
        second[7] = 0xEA; second[8] = 0x60; // width 60000
        byte[] bomb = [.. jpeg[..(sof + 2 + length)], .. second, .. jpeg[(sof + 2 + length)..]];
        Assert.Null(ImageInspector.ReadDimensions(ImageFormat.Jpeg, bomb, bomb.Length));
        Assert.Equal((3, 2), ImageInspector.ReadDimensions(ImageFormat.Jpeg, jpeg, jpeg.Length));
    }

    private static int FindSof0(byte[] jpeg)
    {
        for (var i = 2; i + 1 < jpeg.Length; i++)
            if (jpeg[i] == 0xFF && jpeg[i + 1] == 0xC0) return i;
        throw new InvalidOperationException("no SOF0");
    }
}
