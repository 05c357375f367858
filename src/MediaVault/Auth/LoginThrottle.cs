using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.Options;

namespace MediaVault.Auth;

/// <summary>
/// Failed sign-ins counted per (e-mail, client address), not per account: a stranger who guesses wrong
/// locks only their own address out of the account, never its owner. Missing accounts are counted the
/// same way, so a lockout tells nothing about which e-mails exist. Per instance and in memory (bounded):
/// the per-IP rate limit on /auth is the first line; this stops a slow guesser on one account.
/// </summary>
public sealed class LoginThrottle(IOptions<AuthOptions> options, TimeProvider time)
{
    internal const int MaxEntries = 100_000;
    private readonly ConcurrentDictionary<(string Email, string Client), Entry> _entries = new();

    private sealed class Entry
    {
        public int Failures;
        public DateTimeOffset Since;
        public DateTimeOffset? LockedUntil;
    }

    /// <summary>When the address may try this e-mail again, or null when it may now.</summary>
    public DateTimeOffset? LockedUntil(string email, IPAddress? client)
    {
        if (!_entries.TryGetValue(Key(email, client), out var entry)) return null;
        lock (entry) return entry.LockedUntil is { } until && until > time.GetUtcNow() ? until : null;
    }

    /// <summary>Counts a failure; returns the end of the lockout when this failure starts one.</summary>
    public DateTimeOffset? Fail(string email, IPAddress? client)
    {
        var now = time.GetUtcNow();
        if (_entries.Count >= MaxEntries) Prune(now);
        var entry = _entries.GetOrAdd(Key(email, client), _ => new Entry { Since = now });
        lock (entry)
        {
            if (now - entry.Since > options.Value.LockoutDuration || entry.LockedUntil <= now)
                (entry.Failures, entry.Since, entry.LockedUntil) = (0, now, null);
            if (++entry.Failures < options.Value.MaxFailedLogins) return null;
            entry.LockedUntil = now + options.Value.LockoutDuration;
            return entry.LockedUntil;
        }
    }

    /// <summary>A good password from this address forgets its failures.</summary>
    public void Succeed(string email, IPAddress? client) => _entries.TryRemove(Key(email, client), out _);

    private void Prune(DateTimeOffset now)
    {
        foreach (var (key, entry) in _entries)
            if (now - entry.Since > options.Value.LockoutDuration && !(entry.LockedUntil > now)) _entries.TryRemove(key, out _);
        // Still full (a flood of fresh pairs): forget the oldest half rather than grow without bound.
        if (_entries.Count >= MaxEntries)
            foreach (var (key, _) in _entries.OrderBy(e => e.Value.Since).Take(_entries.Count / 2)) _entries.TryRemove(key, out _);
    }

    private static (string, string) Key(string email, IPAddress? client) => (email.Trim().ToUpperInvariant(), ClientKey(client));

    /// <summary>IPv4 as it is; IPv6 by its /64, which one host usually holds whole.</summary>
    public static string ClientKey(IPAddress? client)
    {
        if (client is null) return "";
        if (client.IsIPv4MappedToIPv6) client = client.MapToIPv4();
        if (client.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6) return client.ToString();
        var bytes = client.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }
}
