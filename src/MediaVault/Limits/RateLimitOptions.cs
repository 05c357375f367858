using Microsoft.Extensions.Options;

namespace MediaVault.Limits;

/// <summary>Requests allowed per window; past them a 429 with Retry-After. Windows slide in six steps,
/// so a burst at a window's edge cannot double the limit.</summary>
public sealed class RateLimit
{
    public int PermitLimit { get; set; }

    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);
}

/// <summary>The <c>RateLimits</c> section. The defaults are several times what the web UI sends at its
/// busiest (10 images per product, 3 at a time; pages of 20 products with up to 10 images each).</summary>
public sealed class RateLimitOptions
{
    public const string Section = "RateLimits";

    /// <summary>Every /auth request per client IP: a person signs in a few times a day; a password guesser wants thousands.</summary>
    public RateLimit AuthPerIp { get; set; } = new() { PermitLimit = 10 };

    /// <summary>The local store's anonymous /storage endpoints per client IP (a page of products loads up to 200 images).</summary>
    public RateLimit StoragePerIp { get; set; } = new() { PermitLimit = 1200 };

    /// <summary>Presign, register, proxied and multipart uploads per user (a 10-image product is 10 to 20 of them).</summary>
    public RateLimit UploadsPerUser { get; set; } = new() { PermitLimit = 120 };

    /// <summary>Requests that mint signed URLs (single URLs and pages of images, products, profiles) per user.</summary>
    public RateLimit SignedUrlsPerUser { get; set; } = new() { PermitLimit = 600 };
}

internal sealed class ValidateRateLimitOptions : IValidateOptions<RateLimitOptions>
{
    public ValidateOptionsResult Validate(string? name, RateLimitOptions options)
    {
        var errors = new List<string>();
        foreach (var (key, limit) in new[] { ("AuthPerIp", options.AuthPerIp), ("StoragePerIp", options.StoragePerIp),
                     ("UploadsPerUser", options.UploadsPerUser), ("SignedUrlsPerUser", options.SignedUrlsPerUser) })
        {
            if (limit is null) { errors.Add($"{RateLimitOptions.Section}:{key} is missing."); continue; }
            if (limit.PermitLimit < 1)
                errors.Add($"{RateLimitOptions.Section}:{key}:PermitLimit must be at least 1 (a very high value lifts the limit).");
            if (limit.Window < TimeSpan.FromSeconds(1) || limit.Window > TimeSpan.FromDays(1))
                errors.Add($"{RateLimitOptions.Section}:{key}:Window must be between 00:00:01 and 1.00:00:00.");
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
