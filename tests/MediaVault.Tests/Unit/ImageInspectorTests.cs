using System.Buffers.Binary;
using System.Text;
using MediaVault.Images;
using MediaVault.Tests.Infrastructure;

namespace MediaVault.Tests.Unit;

public sealed class ImageInspectorTests
{
    public static TheoryData<string, int, int> Sizes(params string[] suffixes) => new(
        from suffix in suffixes
        from size in new[] { (1, 1), (64, 48), (640, 480), (1500, 7), (3, 2000) }
        select (suffix, size.Item1, size.Item2));

    public static TheoryData<string, int, int> AllFormats =>
        Sizes(".jpg", ".jpg[interlace]", ".png", ".gif", ".webp", ".webp[lossless]", SimpleLossyWebP, SimpleLosslessWebP);

    // libvips adds an EXIF chunk and so the extended (VP8X) layout; without metadata a WebP is one
    // VP8 or VP8L chunk, the layout cwebp and browsers write.
    private const string SimpleLossyWebP = ".webp[keep=none]";
    private const string SimpleLosslessWebP = ".webp[lossless,keep=none]";

    [Theory]
    [MemberData(nameof(AllFormats))]
    public void ReadsTheDimensionsOfAWholeFile(string suffix, int width, int height)
    {
        var bytes = ImageBytes.Make(width, height, suffix);
        Assert.Equal((width, height), Read(bytes, bytes.Length));
    }

    [Theory]
    [InlineData(".webp")]
    [InlineData(".webp[lossless]")]
    [InlineData(".png")]
    [InlineData(".gif")]
    public void ReadsTheDimensionsOfAnImageWithAlpha(string suffix)
    {
        var bytes = ImageBytes.Make(300, 200, suffix, bands: 4);
        Assert.Equal((300, 200), Read(bytes, bytes.Length));
    }

    [Theory]
    [InlineData(".jpg")]
    [InlineData(".jpg[interlace]")]
    [InlineData(".png")]
    [InlineData(".gif")]
    [InlineData(".webp")]
    [InlineData(".webp[lossless]")]
    [InlineData(SimpleLossyWebP)]
    [InlineData(SimpleLosslessWebP)]
    public void ReadsTheDimensionsFromTheFirstHalfOfALargeFile(string suffix)
    {
        var bytes = ImageBytes.Make(1200, 900, suffix, noisy: true);
        Assert.Equal((1200, 900), Read(bytes, bytes.Length / 2));
    }

    public static TheoryData<string, string, int> HeaderEnds => new()
    {
        { ".png", "IHDR", 33 },                  // signature, IHDR chunk with its CRC
        { ".gif", "GIF8", 13 },                  // signature, logical screen descriptor
        { ".webp", "VP8X", 30 },                 // RIFF header, VP8X chunk with the canvas size
        { ".webp[lossless]", "VP8X", 30 },
        { SimpleLossyWebP, "VP8 ", 30 },         // RIFF header, VP8 chunk header, frame header
        { SimpleLosslessWebP, "VP8L", 25 },      // RIFF header, VP8L chunk header, signature and size
    };

    [Theory]
    [MemberData(nameof(HeaderEnds))]
    public void ReadsTheDimensionsFromAPrefixEndingRightAfterTheHeader(string suffix, string firstChunk, int headerEnd)
    {
        var bytes = ImageBytes.Make(640, 480, suffix, noisy: true);
        Assert.Equal(firstChunk, Encoding.ASCII.GetString(bytes, suffix == ".gif" ? 0 : 12, 4));
        Assert.Equal((640, 480), Read(bytes, headerEnd));
    }

    [Theory]
    [InlineData(".jpg", 0xC0)]
    [InlineData(".jpg[interlace]", 0xC2)]
    public void ReadsJpegDimensionsFromAPrefixEndingRightAfterTheFrameHeader(string suffix, byte sof)
    {
        var bytes = ImageBytes.Make(640, 480, suffix, noisy: true);
        Assert.Equal((640, 480), Read(bytes, ImageBytes.SegmentEnd(bytes, sof)));
    }

    [Fact]
    public void ReadsJpegDimensionsPastA60KilobyteExifSegment()
    {
        var bytes = ImageBytes.WithAppSegment(ImageBytes.Make(640, 480, ".jpg"), 60_000);
        Assert.Equal((640, 480), Read(bytes, bytes.Length));
        Assert.Equal((640, 480), Read(bytes, ImageBytes.SegmentEnd(bytes, 0xC0)));
    }

    [Fact]
    public void ReadsJpegDimensionsPastSeveralLargeAppSegments()
    {
        var bytes = ImageBytes.Make(640, 480, ".jpg");
        foreach (var marker in new byte[] { 0xE1, 0xE2, 0xED, 0xEE, 0xE2 }) bytes = ImageBytes.WithAppSegment(bytes, 65_000, marker);
        Assert.Equal((640, 480), Read(bytes, ImageBytes.SegmentEnd(bytes, 0xC0)));
    }

    [Fact]
    public void ReadsJpegDimensionsWhenHuffmanTablesComeBeforeTheFrameHeader()
    {
        var jpeg = ImageBytes.Make(640, 480, ".jpg");
        var bytes = ImageBytes.WithSegmentMovedFirst(jpeg, ImageBytes.SegmentOffset(jpeg, 0xC4));
        Assert.Equal(0xC4, bytes[3]);
        Assert.Equal((640, 480), Read(bytes, bytes.Length));
    }

    [Fact]
    public void ReadsADecompressionBombsDeclaredSizeWithoutDecodingIt()
    {
        var bytes = TestImages.PngHeaderOnly(100_000, 100_000);
        Assert.Equal((100_000, 100_000), Read(bytes, bytes.Length));
        Assert.Equal((100_000, 100_000), Read(bytes, 29));
    }

    [Theory]
    [InlineData(".png", 28)]
    [InlineData(".gif", 12)]
    [InlineData(".webp", 12)]
    [InlineData(".webp", 26)]
    [InlineData(SimpleLossyWebP, 20)]
    [InlineData(SimpleLosslessWebP, 20)]
    [InlineData(".jpg", 3)]
    public void ReturnsNullWhenThePrefixEndsBeforeTheDimensions(string suffix, int length) =>
        Assert.Null(Read(ImageBytes.Make(64, 48, suffix), length));

    [Fact]
    public void ReturnsNullWhenTheJpegPrefixEndsInsideTheFrameHeader()
    {
        var bytes = ImageBytes.Make(64, 48, ".jpg");
        Assert.Null(Read(bytes, ImageBytes.SegmentOffset(bytes, 0xC0) + 6));
    }

    [Fact]
    public void ReturnsNullForAJpegWithoutAFrameHeader() =>
        Assert.Null(Read([0xFF, 0xD8, 0xFF, 0xFE, 0x00, 0x04, 0x41, 0x42, 0xFF, 0xD9], 10));

    [Fact]
    public void ReturnsNullForAPngWhoseFirstChunkIsNotIhdr()
    {
        var bytes = ImageBytes.Make(64, 48, ".png");
        bytes[15] = (byte)'X';
        Assert.Null(Read(bytes, bytes.Length));
    }

    [Theory]
    [InlineData(0, 48)]
    [InlineData(64, 0)]
    [InlineData(-1, 48)]
    [InlineData(int.MinValue, int.MinValue)]
    public void ReturnsNullForAPngDeclaringNoOrNegativePixels(int width, int height)
    {
        var bytes = TestImages.PngHeaderOnly(width, height);
        Assert.Null(Read(bytes, bytes.Length));
    }

    [Fact]
    public void ReturnsNullForAJpegDeclaringZeroWidth()
    {
        var bytes = ImageBytes.Make(64, 48, ".jpg");
        BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(ImageBytes.SegmentOffset(bytes, 0xC0) + 7), 0);
        Assert.Null(Read(bytes, bytes.Length));
    }

    [Fact]
    public void ReturnsNullForAGifDeclaringZeroWidth()
    {
        var bytes = ImageBytes.Make(64, 48, ".gif");
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(6), 0);
        Assert.Null(Read(bytes, bytes.Length));
    }

    [Fact]
    public void ReturnsNullWhenTheBytesAreNotOfTheGivenFormat()
    {
        var png = ImageBytes.Make(64, 48, ".png");
        var jpeg = ImageBytes.Make(64, 48, ".jpg");
        Assert.Null(ImageInspector.ReadDimensions(ImageFormat.Jpeg, png, png.Length));
        Assert.Null(ImageInspector.ReadDimensions(ImageFormat.Png, jpeg, jpeg.Length));
        Assert.Null(ImageInspector.ReadDimensions(ImageFormat.WebP, jpeg, jpeg.Length));
        Assert.Null(ImageInspector.ReadDimensions(ImageFormat.Gif, png, png.Length));
    }

    private static (int Width, int Height)? Read(byte[] file, int length)
    {
        // As the upload path does: a pooled buffer larger than what was read, holding leftovers past the end.
        var buffer = new byte[Math.Max(ImageInspector.PrefixLength, length)];
        Random.Shared.NextBytes(buffer);
        file.AsSpan(0, length).CopyTo(buffer);
        return ImageInspector.ReadDimensions(ImageFormat.Sniff(file)!, buffer, length);
    }
}
