using MediaVault.Infrastructure;

namespace MediaVault.Profiles;

public sealed record ProfileDto(string UserId, string? DisplayName, string? PictureKey, string? PictureUrl, DateTimeOffset? PictureUrlExpiresAt);

public sealed record CommunityMember(string UserId, string? DisplayName, string? PictureUrl, DateTimeOffset? PictureUrlExpiresAt);

public sealed record CommunityPage(IReadOnlyList<CommunityMember> Items, string? NextCursor);

public sealed record PicturePreview(string Key, string Url, DateTimeOffset? ExpiresAt);

/// <summary>A field left out stays as it is; null clears it.</summary>
public sealed class UpdateProfileRequest
{
    public Optional<string> DisplayName { get; init; }
    public Optional<string> PictureKey { get; init; }
}
