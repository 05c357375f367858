using MediaVault.Infrastructure;

namespace MediaVault.Profiles;

public sealed record ProfileDto(string UserId, string? DisplayName, string? PictureKey, string? PictureUrl, DateTimeOffset? PictureUrlExpiresAt);

public sealed record CommunityMember(string UserId, string? DisplayName, string? PictureUrl, DateTimeOffset? PictureUrlExpiresAt);

public sealed record CommunityPage(IReadOnlyList<CommunityMember> Items, string? NextCursor);

public sealed record PicturePreview(string Key, string Url, DateTimeOffset? ExpiresAt);

public sealed record UpdateProfileRequest(Optional<string> DisplayName = default, Optional<string> PictureKey = default);
