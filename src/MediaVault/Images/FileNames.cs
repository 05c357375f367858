using System.Globalization;
using System.Text;

namespace MediaVault.Images;

/// <summary>Client file names are display names only: no path parts, no control or bidi characters, at most 255 UTF-8 bytes.</summary>
public static class FileNames
{
    public const int MaxBytes = 255;

    public static string Sanitize(string? name, ImageFormat format)
    {
        var value = name ?? "";
        var cut = value.LastIndexOfAny(['/', '\\']);
        if (cut >= 0) value = value[(cut + 1)..];

        var clean = new StringBuilder(value.Length);
        foreach (var rune in value.EnumerateRunes())
        {
            var category = Rune.GetUnicodeCategory(rune);
            // Cc: control characters; Cf: format characters, which include the bidi overrides
            // (U+202A-202E, U+2066-2069) used to disguise extensions, and zero-width characters.
            if (category is UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.Surrogate
                or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned or UnicodeCategory.LineSeparator
                or UnicodeCategory.ParagraphSeparator) continue;
            clean.Append(rune.ToString());
        }
        var result = clean.ToString().Trim().TrimStart('.').Trim();
        if (result.Length == 0) result = "image." + format.Extension;
        if (Encoding.UTF8.GetByteCount(result) <= MaxBytes) return result;
        // Too long: shorten the stem and keep a short extension, so the name still says what it is.
        var dot = result.LastIndexOf('.');
        var extension = dot > 0 && result.Length - dot <= 10 ? result[dot..] : "";
        return Truncate(result[..(result.Length - extension.Length)], MaxBytes - Encoding.UTF8.GetByteCount(extension)).TrimEnd() + extension;
    }

    /// <summary><c>inline</c> with an ASCII fallback and the exact name as RFC 5987 <c>filename*</c>.</summary>
    public static string InlineDisposition(string fileName)
    {
        var ascii = new StringBuilder(fileName.Length);
        foreach (var c in fileName) ascii.Append(c is >= ' ' and < (char)127 and not '"' and not '\\' and not '%' ? c : '_');
        return $"inline; filename=\"{ascii}\"; filename*=UTF-8''{Uri.EscapeDataString(fileName)}";
    }

    private static string Truncate(string value, int maxBytes)
    {
        if (Encoding.UTF8.GetByteCount(value) <= maxBytes) return value;
        var builder = new StringBuilder();
        var bytes = 0;
        foreach (var rune in value.EnumerateRunes())
        {
            if (bytes + rune.Utf8SequenceLength > maxBytes) break;
            bytes += rune.Utf8SequenceLength;
            builder.Append(rune.ToString());
        }
        return builder.ToString();
    }
}
