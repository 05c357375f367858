using System.Buffers;

namespace MediaVault.Storage;

/// <summary>The one place that builds object keys. Keys are made on the server only, from ids and
/// detected types; a client's file name never becomes part of a key.</summary>
public static class StorageKeys
{
    private static readonly SearchValues<char> Allowed =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.");

    public const string StagingPrefix = "staging/";

    public static string Staging(Guid uploadId) => $"{StagingPrefix}{uploadId:N}";

    /// <summary>Where an image is served from: nothing in it says who uploaded it (a public URL is shared).</summary>
    public static string Final(string collection, Guid imageId, string extension) =>
        Checked($"{collection}/{imageId:N}.{extension}");

    /// <summary>The shape of final keys before 2026-12 (with the owner's id); rows keep them and they keep working.</summary>
    public static string LegacyFinal(string collection, string ownerId, Guid imageId, string extension) =>
        Checked($"{collection}/{Segment(ownerId)}/{imageId:N}.{extension}");

    /// <summary>Collection a final key belongs to (its first segment), or null for staging keys.</summary>
    public static string? CollectionOf(string key)
    {
        var slash = key.IndexOf('/');
        return slash <= 0 || key.StartsWith(StagingPrefix, StringComparison.Ordinal) ? null : key[..slash];
    }

    /// <summary>True for keys of the shape this service makes: short, relative, no empty, dot or
    /// dot-dot segment, only URL-safe characters. Everything that reaches a store passes this.</summary>
    public static bool IsValid(string? key)
    {
        if (string.IsNullOrEmpty(key) || key.Length > 512) return false;
        foreach (var segment in key.Split('/'))
        {
            if (segment.Length == 0 || segment == "." || segment == "..") return false;
            if (segment.AsSpan().IndexOfAnyExcept(Allowed) >= 0) return false;
        }
        return true;
    }

    public static string Checked(string key) =>
        IsValid(key) ? key : throw new ArgumentException($"Invalid storage key '{key}'.", nameof(key));

    private static string Segment(string value)
    {
        // Identity user ids are GUID strings; anything else is rejected rather than escaped.
        if (value.Length == 0 || value.AsSpan().IndexOfAnyExcept(Allowed) >= 0 || value.Contains(".."))
            throw new ArgumentException("Owner id is not key-safe.", nameof(value));
        return value;
    }
}
