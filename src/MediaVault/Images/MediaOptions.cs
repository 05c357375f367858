using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace MediaVault.Images;

public enum CollectionVisibility { Private, Public }

public sealed class MediaOptions
{
    public const string Section = "Media";
    public const string DefaultCollection = "images";
    /// <summary>Profile pictures (seed 004): the default image types, 5 MiB, URLs that live 7 days.</summary>
    public const string AvatarsCollection = "avatars";

    /// <summary>Images whose header declares more pixels are refused before any decode.</summary>
    public long MaxPixels { get; set; } = 40_000_000;

    public Dictionary<string, CollectionOptions> Collections { get; set; } = new(StringComparer.Ordinal);

    public CollectionOptions? Find(string? name) =>
        Collections.GetValueOrDefault(string.IsNullOrEmpty(name) ? DefaultCollection : name);

    public long LargestMaxBytes => Collections.Values.Max(c => c.MaxBytes);

    /// <summary>The collection names, or null when Media itself is invalid (its own validation reports that,
    /// once: settings that name a collection should not repeat it).</summary>
    internal static ICollection<string>? NamesIfValid(IOptions<MediaOptions> media)
    {
        try { return media.Value.Collections.Keys; }
        catch (OptionsValidationException) { return null; }
    }
}

public sealed class CollectionOptions
{
    public static readonly string[] DefaultTypes = ["image/jpeg", "image/png", "image/gif", "image/webp"];

    /// <summary>Content types accepted; defaults to JPEG, PNG, GIF and WebP.</summary>
    public string[]? AllowedTypes { get; set; }

    public long MaxBytes { get; set; } = 5 * 1024 * 1024;

    /// <summary>Lifetime of the signed GET URLs handed out for this collection (at most 7 days, SigV4's limit).</summary>
    public TimeSpan UrlLifetime { get; set; } = TimeSpan.FromHours(1);

    public CollectionVisibility Visibility { get; set; } = CollectionVisibility.Private;

    public bool IsPublic => Visibility == CollectionVisibility.Public;

    public bool Allows(ImageFormat format) => (AllowedTypes ?? DefaultTypes).Contains(format.ContentType, StringComparer.OrdinalIgnoreCase);
}

internal sealed partial class ConfigureMediaOptions : IPostConfigureOptions<MediaOptions>, IValidateOptions<MediaOptions>
{
    public void PostConfigure(string? name, MediaOptions options)
    {
        if (options.Collections.Count == 0) options.Collections[MediaOptions.DefaultCollection] = new CollectionOptions();
        options.Collections.TryAdd(MediaOptions.AvatarsCollection, new CollectionOptions { UrlLifetime = TimeSpan.FromDays(7) });
        foreach (var c in options.Collections.Values)
            if (c.AllowedTypes is null || c.AllowedTypes.Length == 0) c.AllowedTypes = CollectionOptions.DefaultTypes;
    }

    public ValidateOptionsResult Validate(string? name, MediaOptions options)
    {
        var errors = new List<string>();
        if (options.MaxPixels < 1) errors.Add("Media:MaxPixels must be positive.");
        foreach (var (key, c) in options.Collections)
        {
            var at = $"Media:Collections:{key}";
            if (!CollectionName().IsMatch(key) || key == "staging")
                errors.Add($"{at}: a collection name is 1-40 lowercase letters, digits or '-', and not 'staging'.");
            if (c.MaxBytes < 1) errors.Add($"{at}:MaxBytes must be positive.");
            if (c.UrlLifetime < TimeSpan.FromSeconds(1) || c.UrlLifetime > TimeSpan.FromDays(7))
                errors.Add($"{at}:UrlLifetime must be between 00:00:01 and 7.00:00:00 (7 days, the SigV4 limit); it is {c.UrlLifetime}.");
            if (!Enum.IsDefined(c.Visibility)) errors.Add($"{at}:Visibility must be 'Private' or 'Public'.");
            foreach (var type in c.AllowedTypes ?? [])
                if (ImageFormat.All.All(f => !string.Equals(f.ContentType, type, StringComparison.OrdinalIgnoreCase)))
                    errors.Add($"{at}:AllowedTypes: '{type}' is not supported (supported: {string.Join(", ", ImageFormat.All.Select(f => f.ContentType))}).");
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,39}$")]
    private static partial Regex CollectionName();
}
