using System.Security.Cryptography;
using MediaVault.Data;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace MediaVault.Auth;

/// <summary>Access tokens are the bearer scheme's own (data-protected, short-lived, checked without the
/// database); refresh tokens are random strings with a row each, so that one can be used only once and
/// all of a user's can be ended at once.</summary>
public sealed class TokenIssuer(MediaVaultDb db, SignInManager<IdentityUser> signIn, IOptionsMonitor<BearerTokenOptions> bearer,
    IOptions<AuthOptions> options, TimeProvider time)
{
    public async Task<AccessTokenResponse> IssueAsync(IdentityUser user, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var lifetime = options.Value.AccessTokenLifetime;
        var principal = await signIn.CreateUserPrincipalAsync(user);
        var ticket = new AuthenticationTicket(principal, new AuthenticationProperties { IssuedUtc = now, ExpiresUtc = now + lifetime },
            $"{IdentityConstants.BearerScheme}:AccessToken");
        var refresh = Base64Url(RandomNumberGenerator.GetBytes(32));
        db.RefreshTokens.Add(new RefreshToken
        {
            Id = Guid.NewGuid(), UserId = user.Id, TokenHash = RefreshToken.Hash(refresh),
            SecurityStamp = user.SecurityStamp ?? "",
            CreatedAt = now.UtcDateTime, ExpiresAt = (now + options.Value.RefreshTokenLifetime).UtcDateTime,
        });
        await db.SaveChangesAsync(ct);
        return new AccessTokenResponse
        {
            AccessToken = bearer.Get(IdentityConstants.BearerScheme).BearerTokenProtector.Protect(ticket),
            ExpiresIn = (long)lifetime.TotalSeconds,
            RefreshToken = refresh,
        };
    }

    /// <summary>Takes a refresh token out of use and returns its user, or null when it is unknown, used,
    /// expired or from before the user's last password change or logout. Of two exchanges of one token,
    /// only the one whose delete removed the row goes on.</summary>
    public async Task<IdentityUser?> RedeemAsync(string refreshToken, CancellationToken ct)
    {
        var hash = RefreshToken.Hash(refreshToken);
        var row = await db.RefreshTokens.AsNoTracking().FirstOrDefaultAsync(r => r.TokenHash == hash, ct);
        if (row is null) return null;
        if (await db.RefreshTokens.Where(r => r.Id == row.Id).ExecuteDeleteAsync(ct) != 1) return null;
        if (row.ExpiresAt <= time.GetUtcNow().UtcDateTime) return null;
        var user = await signIn.UserManager.FindByIdAsync(row.UserId);
        return user is not null && user.SecurityStamp == row.SecurityStamp ? user : null;
    }

    /// <summary>Ends every refresh token of the user: a new security stamp (refused from now on) and the rows gone.</summary>
    public async Task RevokeAllAsync(IdentityUser user, CancellationToken ct)
    {
        await signIn.UserManager.UpdateSecurityStampAsync(user);
        await db.RefreshTokens.Where(r => r.UserId == user.Id).ExecuteDeleteAsync(ct);
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
