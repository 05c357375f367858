using System.Text;
using MediaVault.Images;
using MediaVault.Uploads;
using MediaVault.Tests.Infrastructure;

namespace MediaVault.Tests.Unit;

public sealed class IngestRulesTests
{
    private const long MaxPixels = 40_000_000;
    private static readonly CollectionOptions AnyImage = new();

    [Theory]
    [InlineData("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"/>", "image/svg+xml")]
    [InlineData("<!DOCTYPE html><script>alert(1)</script>", "image/png")]
    [InlineData("hello", null)]
    [InlineData("%PDF-1.4", "application/octet-stream")]
    public void RejectsContentThatIsNotAnImageAs415(string content, string? declared)
    {
        var rejection = Rejected(Encoding.UTF8.GetBytes(content), declared);
        Assert.Equal((415, "Unsupported file type"), (rejection.Status, rejection.Title));
    }

    [Fact]
    public void RejectsAFormatTheCollectionDoesNotAllowAs415()
    {
        var pngOnly = new CollectionOptions { AllowedTypes = ["image/png"] };
        var rejection = Rejected(TestImages.Gif(), "image/gif", pngOnly);
        Assert.Equal((415, "Type not allowed"), (rejection.Status, rejection.Title));
        Assert.Contains("image/png", rejection.Detail);
    }

    [Theory]
    [InlineData("image/jpeg")]
    [InlineData("image/gif")]
    [InlineData("image/svg+xml")]
    [InlineData("text/html")]
    [InlineData("image/pngx")]
    public void RejectsPngBytesDeclaredAsAnotherTypeAs422(string declared)
    {
        var rejection = Rejected(TestImages.Png(), declared);
        Assert.Equal((422, "Content does not match its type"), (rejection.Status, rejection.Title));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    [InlineData("application/octet-stream")]
    [InlineData("Application/Octet-Stream; name=x")]
    [InlineData("image/jpg")]
    [InlineData("IMAGE/JPEG; charset=x")]
    public void AcceptsAnUndeclaredOrMatchingType(string? declared)
    {
        var jpeg = TestImages.Jpeg(64, 48);
        var (facts, rejection) = IngestRules.Inspect(jpeg, jpeg.Length, declared, AnyImage, MaxPixels);
        Assert.Null(rejection);
        Assert.Equal(new ImageFacts(ImageFormat.Jpeg, 64, 48), facts);
    }

    [Fact]
    public void RejectsAnImageWhoseDimensionsCannotBeReadAs422()
    {
        var png = TestImages.Png();
        png[12] = (byte)'X';
        var rejection = Rejected(png, "image/png");
        Assert.Equal((422, "Unreadable image"), (rejection.Status, rejection.Title));
    }

    [Fact]
    public void RejectsAHeaderDeclaringMorePixelsThanTheCapAs422()
    {
        var bomb = TestImages.PngHeaderOnly(100_000, 100_000);
        var rejection = Rejected(bomb, "image/png");
        Assert.Equal((422, "Too many pixels"), (rejection.Status, rejection.Title));
        Assert.Contains("100000x100000", rejection.Detail);
    }

    [Fact]
    public void AcceptsExactlyThePixelCapAndRejectsOneMore()
    {
        var png = TestImages.Png(64, 48);
        Assert.Null(IngestRules.Inspect(png, png.Length, null, AnyImage, 64 * 48).Rejection);
        Assert.Equal(422, IngestRules.Inspect(png, png.Length, null, AnyImage, 64 * 48 - 1).Rejection?.Status);
    }

    [Fact]
    public void AcceptsAWebPLargerThanTheInspectedPrefix()
    {
        // A lossless WebP in the simple layout (one VP8L chunk), bigger than the prefix the upload path reads.
        var webp = ImageBytes.Make(1200, 900, ".webp[lossless,keep=none]", noisy: true);
        Assert.True(webp.Length > ImageInspector.PrefixLength && webp.Length < AnyImage.MaxBytes);
        var (facts, rejection) = IngestRules.Inspect(webp[..ImageInspector.PrefixLength], ImageInspector.PrefixLength, "image/webp", AnyImage, MaxPixels);
        Assert.Null(rejection);
        Assert.Equal(new ImageFacts(ImageFormat.WebP, 1200, 900), facts);
    }

    private static Rejection Rejected(byte[] content, string? declared, CollectionOptions? collection = null)
    {
        var (facts, rejection) = IngestRules.Inspect(content, content.Length, declared, collection ?? AnyImage, MaxPixels);
        Assert.Null(facts);
        return Assert.IsType<Rejection>(rejection);
    }
}
