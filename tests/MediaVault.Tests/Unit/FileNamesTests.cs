using System.Text;
using System.Text.RegularExpressions;
using MediaVault.Images;

namespace MediaVault.Tests.Unit;

public sealed class FileNamesTests
{
    [Theory]
    [InlineData("cat.png", "cat.png")]
    [InlineData("../../etc/passwd", "passwd")]
    [InlineData("/var/www/cat.png", "cat.png")]
    [InlineData("C:\\Users\\me\\cat.png", "cat.png")]
    [InlineData("a/b\\c/d.png", "d.png")]
    [InlineData("a\\b/c\\d.png", "d.png")]
    [InlineData("  holiday photo.jpg  ", "holiday photo.jpg")]
    [InlineData("Ünïcødé 猫.png", "Ünïcødé 猫.png")]
    public void SanitizeKeepsOnlyTheLastPathPart(string input, string expected) =>
        Assert.Equal(expected, FileNames.Sanitize(input, ImageFormat.Png));

    [Theory]
    [InlineData("cat\0.png")]
    [InlineData("c\r\na\tt.png")]
    [InlineData("\u001bcat\u007f.png")]
    [InlineData("cat\u0085.png")]
    [InlineData("c\u2028a\u2029t.png")]
    public void SanitizeStripsControlCharacters(string input) =>
        Assert.Equal("cat.png", FileNames.Sanitize(input, ImageFormat.Png));

    [Theory]
    [InlineData("invoice\u202Egnp.exe", "invoicegnp.exe")]
    [InlineData("\u202Acat\u202B\u202C\u202D.png", "cat.png")]
    [InlineData("\u2066cat\u2067\u2068\u2069.png", "cat.png")]
    [InlineData("c\u200Ea\u200Ft\u061C.png", "cat.png")]
    public void SanitizeStripsBidiControls(string input, string expected) =>
        Assert.Equal(expected, FileNames.Sanitize(input, ImageFormat.Png));

    [Theory]
    [InlineData("c\u200Ba\u200Ct\u200D.png")]
    [InlineData("\uFEFFcat\u2060.png")]
    [InlineData("cat\u00AD.png")]
    public void SanitizeStripsZeroWidthCharacters(string input) =>
        Assert.Equal("cat.png", FileNames.Sanitize(input, ImageFormat.Png));

    [Fact]
    public void SanitizeReplacesLoneSurrogatesInsteadOfKeepingThem() =>
        Assert.False(HasLoneSurrogate(FileNames.Sanitize("a\uD800b\uDC00.png", ImageFormat.Png)));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("uploads/")]
    [InlineData("C:\\")]
    [InlineData("...")]
    [InlineData(" . ")]
    [InlineData("\u202E\u200B\0")]
    public void SanitizeFallsBackToImageDotExtensionWhenNothingIsLeft(string? input)
    {
        Assert.Equal("image.png", FileNames.Sanitize(input, ImageFormat.Png));
        Assert.Equal("image.webp", FileNames.Sanitize(input, ImageFormat.WebP));
    }

    [Fact]
    public void SanitizeDropsLeadingDotsSoNamesAreNeverHidden() =>
        Assert.Equal("htaccess", FileNames.Sanitize(".htaccess", ImageFormat.Png));

    [Fact]
    public void SanitizeTrimsSpacesLeftBehindByLeadingDots() =>
        Assert.Equal("cat.png", FileNames.Sanitize(". cat.png", ImageFormat.Png));

    [Fact]
    public void SanitizeKeepsTheExtensionWhenCuttingALongName()
    {
        var result = FileNames.Sanitize(new string('\u00e9', 300) + ".jpeg", ImageFormat.Jpeg);
        Assert.EndsWith("\u00e9.jpeg", result);
        Assert.InRange(Encoding.UTF8.GetByteCount(result), FileNames.MaxBytes - 1, FileNames.MaxBytes);
    }

    [Fact]
    public void SanitizeKeepsAName255BytesLongIntact()
    {
        var name = new string('a', 251) + ".png";
        Assert.Equal(name, FileNames.Sanitize(name, ImageFormat.Png));
    }

    [Theory]
    [InlineData("a", 300, 255)]
    [InlineData("\u00e9", 200, 127)]          // 2 bytes each
    [InlineData("\u20ac", 100, 85)]           // 3 bytes each
    [InlineData("\U0001F600", 100, 63)]       // 4 bytes, a surrogate pair
    public void SanitizeCutsLongNamesTo255BytesOnCharacterBoundaries(string unit, int repeat, int expectedUnits)
    {
        var name = string.Concat(Enumerable.Repeat(unit, repeat));
        var result = FileNames.Sanitize(name, ImageFormat.Png);
        Assert.Equal(string.Concat(Enumerable.Repeat(unit, expectedUnits)), result);
        Assert.True(Encoding.UTF8.GetByteCount(result) <= FileNames.MaxBytes);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void SanitizeNeverSplitsASurrogatePairWhateverTheOffset(int asciiPrefix)
    {
        var name = new string('x', asciiPrefix) + string.Concat(Enumerable.Repeat("\U0001F431", 80));
        var result = FileNames.Sanitize(name, ImageFormat.Png);
        Assert.False(HasLoneSurrogate(result));
        Assert.StartsWith(result, name, StringComparison.Ordinal);
        Assert.InRange(Encoding.UTF8.GetByteCount(result), FileNames.MaxBytes - 3, FileNames.MaxBytes);
    }

    [Fact]
    public void InlineDispositionOfAnAsciiNameCarriesItInBothParameters() =>
        Assert.Equal("inline; filename=\"cat.png\"; filename*=UTF-8''cat.png", FileNames.InlineDisposition("cat.png"));

    [Fact]
    public void InlineDispositionPercentEncodesUtf8AndFallsBackToUnderscoresInTheAsciiName() =>
        Assert.Equal("inline; filename=\"caf_ _.png\"; filename*=UTF-8''caf%C3%A9%20%E7%8C%AB.png",
            FileNames.InlineDisposition("café 猫.png"));

    [Theory]
    [InlineData("a\"b.png")]
    [InlineData("a\r\nSet-Cookie: x=1.png")]
    [InlineData("\"; filename=evil.html")]
    [InlineData("a\\\"\r\n\0%22.png")]
    [InlineData("100% \u202Egnp.exe")]
    [InlineData("it's (1) [draft] *final*!.png")]
    [InlineData("\U0001F600\u0085\u2028.png")]
    public void InlineDispositionNeverLetsAQuoteOrLineBreakThrough(string name)
    {
        var header = FileNames.InlineDisposition(name);
        Assert.DoesNotContain('\r', header);
        Assert.DoesNotContain('\n', header);
        Assert.All(header, c => Assert.InRange(c, ' ', '~'));
        // The ASCII name is a quoted-string without quote, backslash or percent; filename* only RFC 8187 attr-chars.
        var match = Regex.Match(header,
            "^inline; filename=\"([^\"\\\\%]*)\"; filename\\*=UTF-8''([A-Za-z0-9!#$&+.^_`|~%-]*)$");
        Assert.True(match.Success, header);
        Assert.Equal(name, Uri.UnescapeDataString(match.Groups[2].Value));
    }

    private static bool HasLoneSurrogate(string value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            if (char.IsHighSurrogate(value[i]) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1])) i++;
            else if (char.IsSurrogate(value[i])) return true;
        }
        return false;
    }
}
