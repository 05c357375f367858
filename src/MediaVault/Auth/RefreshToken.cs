using System.Security.Cryptography;
using System.Text;

namespace MediaVault.Auth;

/// <summary>A refresh token that may still be exchanged, once. Only its SHA-256 is stored: a copy of the
/// table gives no one a session. <see cref="SecurityStamp"/> is the user's stamp when it was issued; a
/// password change or a logout moves the stamp, and a token of an older stamp is refused.</summary>
public sealed class RefreshToken
{
    public Guid Id { get; set; }
    public required string UserId { get; set; }
    public required string TokenHash { get; set; }
    public required string SecurityStamp { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime ExpiresAt { get; set; }

    public static string Hash(string token) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}
