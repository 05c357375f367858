namespace MediaVault.Profiles;

/// <summary>What a user shows others. <see cref="PictureKey"/> is the object key of one of the user's
/// images in the avatars collection (or, for legacy rows, a full http(s) URL passed through).</summary>
public sealed class Profile
{
    public const int MaxDisplayName = 100;

    public required string UserId { get; set; }
    public string? DisplayName { get; set; }
    public string? PictureKey { get; set; }
    public DateTime UpdatedAt { get; set; }

    public static bool IsLegacyUrl(string? key) =>
        key is not null && (key.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || key.StartsWith("https://", StringComparison.OrdinalIgnoreCase));
}
