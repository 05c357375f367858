using System.ComponentModel.DataAnnotations;

namespace MediaVault.Auth;

public sealed class AuthOptions
{
    public const string Section = "Auth";

    /// <summary>The largest JSON body any /auth endpoint (and DELETE /account) reads.</summary>
    public const long MaxBodyBytes = 4 * 1024;
    public const int MaxEmail = 256;
    public const int MaxPassword = 1024;

    /// <summary>How long an access token works; a client refreshes it with its refresh token.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "1.00:00:00", ErrorMessage = "Auth:AccessTokenLifetime must be between 1 minute and 1 day.")]
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How long a refresh token can be exchanged (once) for a new pair.</summary>
    [Range(typeof(TimeSpan), "00:05:00", "365.00:00:00", ErrorMessage = "Auth:RefreshTokenLifetime must be between 5 minutes and 365 days.")]
    public TimeSpan RefreshTokenLifetime { get; set; } = TimeSpan.FromDays(14);

    /// <summary>Failed sign-ins to one e-mail from one client address before that address is locked out of it.</summary>
    [Range(1, 1000, ErrorMessage = "Auth:MaxFailedLogins must be between 1 and 1000.")]
    public int MaxFailedLogins { get; set; } = 5;

    /// <summary>How long such a lockout lasts (and how long failures are remembered).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00", ErrorMessage = "Auth:LockoutDuration must be between 1 second and 1 day.")]
    public TimeSpan LockoutDuration { get; set; } = TimeSpan.FromMinutes(15);
}
