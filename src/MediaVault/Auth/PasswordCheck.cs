using System.Net;
using Microsoft.AspNetCore.Identity;

namespace MediaVault.Auth;

/// <summary>Every check of a password costs one hash verification, whether the account exists or not
/// (a missing one is checked against a dummy hash), counts per (e-mail, address) failures, and logs a
/// failure with the client's address, never the password.</summary>
public sealed class PasswordCheck(UserManager<IdentityUser> users, IPasswordHasher<IdentityUser> hasher, LoginThrottle throttle,
    DummyPasswordHash dummy, ILogger<PasswordCheck> log)
{
    public enum Outcome { Valid, Invalid, Locked }

    public async Task<(Outcome Outcome, IdentityUser? User, DateTimeOffset? RetryAt)> CheckAsync(string email, string password, IPAddress? client)
    {
        if (throttle.LockedUntil(email, client) is { } locked)
        {
            log.LogWarning("Sign-in for {Email} from {ClientIp} refused: locked out until {Until}.", email, client, locked);
            return (Outcome.Locked, null, locked);
        }
        var user = await users.FindByEmailAsync(email);
        bool valid;
        if (user is null)
        {
            hasher.VerifyHashedPassword(DummyPasswordHash.User, dummy.Get(hasher), password); // the time, not the answer
            valid = false;
        }
        else valid = await users.CheckPasswordAsync(user, password);
        if (valid)
        {
            throttle.Succeed(email, client);
            return (Outcome.Valid, user, null);
        }
        log.LogWarning("Sign-in for {Email} from {ClientIp} failed: {Reason}.", email, client, user is null ? "no such account" : "wrong password");
        if (throttle.Fail(email, client) is { } until)
            log.LogWarning("Sign-ins for {Email} from {ClientIp} locked out until {Until} after repeated failures.", email, client, until);
        return (Outcome.Invalid, null, null);
    }
}

/// <summary>A hash of a random password, made once with the app's own hasher settings, so that checking a
/// missing account's password takes as long as checking a real one.</summary>
public sealed class DummyPasswordHash
{
    internal static readonly IdentityUser User = new("nobody");
    private string? _hash;

    public string Get(IPasswordHasher<IdentityUser> hasher) => _hash ??= hasher.HashPassword(User, Guid.NewGuid().ToString());
}
