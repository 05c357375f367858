using System.Buffers.Text;
using System.Text;

namespace MediaVault.Infrastructure;

/// <summary>Opaque keyset cursors: the (createdAt, id) of the last item of a page, or a text key.</summary>
internal static class PageCursor
{
    public static string Encode(DateTime createdAt, Guid id) =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes($"{createdAt.Ticks}.{id:N}"));

    public static (DateTime CreatedAt, Guid Id)? Decode(string value)
    {
        var parts = DecodeText(value)?.Split('.');
        if (parts is { Length: 2 } && long.TryParse(parts[0], out var ticks) && ticks >= 0 && ticks <= DateTime.MaxValue.Ticks
            && Guid.TryParseExact(parts[1], "N", out var id))
            return (new DateTime(ticks, DateTimeKind.Utc), id);
        return null;
    }

    public static string EncodeText(string key) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes("k." + key));

    public static string? DecodeText(string value)
    {
        if (value.Length > 2048) return null;
        try
        {
            var text = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(value));
            return text;
        }
        catch (FormatException) { return null; }
    }

    /// <summary>The key of a cursor made by <see cref="EncodeText"/>, or null.</summary>
    public static string? DecodeKey(string value) => DecodeText(value) is { } t && t.StartsWith("k.", StringComparison.Ordinal) ? t[2..] : null;
}
