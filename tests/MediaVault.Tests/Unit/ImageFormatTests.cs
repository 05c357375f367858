using System.Text;
using MediaVault.Images;
using MediaVault.Tests.Infrastructure;

namespace MediaVault.Tests.Unit;

public sealed class ImageFormatTests
{
    public static TheoryData<string, byte[]> RealImages => new()
    {
        { "image/jpeg", TestImages.Jpeg() },
        { "image/png", TestImages.Png() },
        { "image/gif", TestImages.Gif() },
        { "image/webp", TestImages.WebP() },
    };

    [Theory]
    [MemberData(nameof(RealImages))]
    public void SniffRecognisesRealImagesFromTheirFirstTwelveBytes(string contentType, byte[] image)
    {
        Assert.Equal(contentType, ImageFormat.Sniff(image)?.ContentType);
        Assert.Equal(contentType, ImageFormat.Sniff(image.AsSpan(0, ImageFormat.SniffLength))?.ContentType);
    }

    [Theory]
    [InlineData(new byte[] { 0xFF, 0xD8, 0xFF }, "image/jpeg")]
    [InlineData(new byte[] { 0xFF, 0xD8, 0xFF, 0xE1, 0, 0 }, "image/jpeg")]
    [InlineData(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, "image/png")]
    [InlineData(new byte[] { 0x47, 0x49, 0x46, 0x38, 0x37, 0x61 }, "image/gif")]
    [InlineData(new byte[] { 0x47, 0x49, 0x46, 0x38, 0x39, 0x61 }, "image/gif")]
    public void SniffRecognisesMagicBytes(byte[] head, string contentType) =>
        Assert.Equal(contentType, ImageFormat.Sniff(head)?.ContentType);

    [Fact]
    public void SniffRecognisesRiffWebp() =>
        Assert.Same(ImageFormat.WebP, ImageFormat.Sniff("RIFF\u0024\0\0\0WEBPVP8 "u8));

    [Theory]
    [InlineData("<svg xmlns=\"http://www.w3.org/2000/svg\"></svg>")]
    [InlineData("<?xml version=\"1.0\"?><svg/>")]
    [InlineData("<!DOCTYPE html><html><script>alert(1)</script>")]
    [InlineData("<html>")]
    [InlineData("just some text that is long enough")]
    [InlineData("%PDF-1.7\n%\u00e2\u00e3")]
    [InlineData("RIFF\u0024\0\0\0WAVEfmt ")]
    [InlineData("RIFF\u0024\0\0\0AVI LIST")]
    [InlineData("GIF88a and more")]
    [InlineData("BM6\0\0\0\0\0\0\0")]
    [InlineData("")]
    public void SniffRefusesEverythingElse(string content) =>
        Assert.Null(ImageFormat.Sniff(Encoding.Latin1.GetBytes(content)));

    [Theory]
    [InlineData(new byte[] { 0xFF, 0xD8 })]
    [InlineData(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A })]
    [InlineData(new byte[] { 0x47, 0x49, 0x46, 0x38, 0x39 })]
    [InlineData(new byte[] { 0x52, 0x49, 0x46, 0x46, 0, 0, 0, 0, 0x57, 0x45, 0x42 })]
    [InlineData(new byte[] { 0x52, 0x49, 0x46, 0x46 })]
    public void SniffRefusesTruncatedHeaders(byte[] head) => Assert.Null(ImageFormat.Sniff(head));

    [Fact]
    public void SniffRefusesAPngSignatureWithAByteChanged() =>
        Assert.Null(ImageFormat.Sniff([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x0A, 0x0A]));

    [Theory]
    [InlineData("image/jpeg", "image/jpeg")]
    [InlineData("image/jpg", "image/jpeg")]
    [InlineData("image/pjpeg", "image/jpeg")]
    [InlineData("IMAGE/JPEG", "image/jpeg")]
    [InlineData(" image/jpeg ", "image/jpeg")]
    [InlineData("image/jpeg; charset=x", "image/jpeg")]
    [InlineData("image/png", "image/png")]
    [InlineData("image/x-png", "image/png")]
    [InlineData("Image/PNG;q=1", "image/png")]
    [InlineData("image/gif", "image/gif")]
    [InlineData("image/webp", "image/webp")]
    [InlineData("image/WebP ; foo=bar", "image/webp")]
    public void FromContentTypeMapsAliasesToTheCanonicalFormat(string declared, string expected) =>
        Assert.Equal(expected, ImageFormat.FromContentType(declared)?.ContentType);

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("image/svg+xml")]
    [InlineData("text/html")]
    [InlineData("application/octet-stream")]
    [InlineData("image/jpegx")]
    [InlineData("image/bmp")]
    [InlineData("image")]
    public void FromContentTypeIsNullForAnythingElse(string? declared) =>
        Assert.Null(ImageFormat.FromContentType(declared));
}
