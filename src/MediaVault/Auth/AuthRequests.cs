using System.ComponentModel.DataAnnotations;

namespace MediaVault.Auth;

public sealed record RegisterRequest(
    [property: Required, EmailAddress, MaxLength(AuthOptions.MaxEmail)] string Email,
    [property: Required, MaxLength(AuthOptions.MaxPassword)] string Password);

public sealed record LoginRequest(
    [property: Required, MaxLength(AuthOptions.MaxEmail)] string Email,
    [property: Required, MaxLength(AuthOptions.MaxPassword)] string Password);

public sealed record RefreshRequest([property: Required, MaxLength(AuthOptions.MaxPassword)] string RefreshToken);

public sealed record ChangePasswordRequest(
    [property: Required, MaxLength(AuthOptions.MaxPassword)] string CurrentPassword,
    [property: Required, MaxLength(AuthOptions.MaxPassword)] string NewPassword);
