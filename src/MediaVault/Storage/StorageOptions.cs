using Microsoft.Extensions.Options;

namespace MediaVault.Storage;

public enum StorageProvider { Local, S3 }

public sealed class StorageOptions
{
    public const string Section = "Storage";

    public StorageProvider Provider { get; set; } = StorageProvider.Local;

    /// <summary>How long pre-signed upload URLs live.</summary>
    public TimeSpan UploadUrlLifetime { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Deadline of every call to storage; a streamed part counts progress (no byte moved for this long), not total time.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long browsers and CDNs may keep an object of a public collection. A CDN can go on
    /// serving an object this long after it is deleted.</summary>
    public TimeSpan PublicCacheMaxAge { get; set; } = TimeSpan.FromDays(1);

    /// <summary>The Cache-Control of a public object, on both stores.</summary>
    public string PublicCacheControl => PublicCacheMaxAge <= TimeSpan.Zero
        ? "public, no-cache"
        : $"public, max-age={(long)PublicCacheMaxAge.TotalSeconds}, immutable";

    public LocalStorageOptions Local { get; set; } = new();
    public S3StorageOptions S3 { get; set; } = new();
}

public sealed class LocalStorageOptions
{
    /// <summary>Folder that holds the objects; relative paths are under the content root.</summary>
    public string Root { get; set; } = "data/storage";

    /// <summary>Base64 HMAC key (at least 32 bytes) for local signed URLs. Every instance behind a
    /// balancer must share it; when empty a key is generated once and kept in the storage folder.</summary>
    public string? SigningKey { get; set; }

    /// <summary>Absolute origin that clients reach this app on (e.g. https://media.example.com).
    /// When empty, the origin of the current request is used.</summary>
    public string? PublicBaseUrl { get; set; }
}

public sealed class S3StorageOptions
{
    public string? Bucket { get; set; }

    /// <summary>Endpoint of an S3-compatible service (Ceph RGW, MinIO); empty for AWS itself.</summary>
    public string? ServiceUrl { get; set; }

    public string Region { get; set; } = "us-east-1";
    public bool ForcePathStyle { get; set; } = true;

    /// <summary>Create the bucket at start-up when it does not exist.</summary>
    public bool CreateBucket { get; set; }

    /// <summary>Origins allowed to upload from a browser; when set, the bucket's CORS rules are written at start-up.</summary>
    public string[] CorsOrigins { get; set; } = [];

    /// <summary>Write a statement into the bucket policy at start-up that lets anyone read the prefixes of
    /// public collections (other statements are kept). Off when the bucket's policy is managed elsewhere.</summary>
    public bool ManagePublicPolicy { get; set; } = true;

    /// <summary>Base of clean URLs for public collections (a CDN); defaults to the endpoint and bucket.</summary>
    public string? PublicBaseUrl { get; set; }
}

internal sealed class ValidateStorageOptions : IValidateOptions<StorageOptions>
{
    public ValidateOptionsResult Validate(string? name, StorageOptions o)
    {
        var errors = new List<string>();
        if (!Enum.IsDefined(o.Provider))
            errors.Add("Storage:Provider must be 'Local' or 'S3'.");
        if (o.UploadUrlLifetime < TimeSpan.FromSeconds(30) || o.UploadUrlLifetime > TimeSpan.FromHours(1))
            errors.Add("Storage:UploadUrlLifetime must be between 00:00:30 and 01:00:00.");
        if (o.PublicCacheMaxAge < TimeSpan.Zero || o.PublicCacheMaxAge > TimeSpan.FromDays(365))
            errors.Add("Storage:PublicCacheMaxAge must be between 00:00:00 and 365.00:00:00.");
        if (o.Timeout < TimeSpan.FromSeconds(1) || o.Timeout > TimeSpan.FromMinutes(5))
            errors.Add("Storage:Timeout must be between 00:00:01 and 00:05:00.");
        if (o.Provider == StorageProvider.Local)
        {
            if (string.IsNullOrWhiteSpace(o.Local.Root))
                errors.Add("Storage:Local:Root must name a folder.");
            if (!string.IsNullOrEmpty(o.Local.SigningKey) && !IsKey(o.Local.SigningKey))
                errors.Add("Storage:Local:SigningKey must be base64 of at least 32 bytes.");
            if (!string.IsNullOrEmpty(o.Local.PublicBaseUrl) && !IsHttpUrl(o.Local.PublicBaseUrl))
                errors.Add("Storage:Local:PublicBaseUrl must be an absolute http(s) URL.");
        }
        else
        {
            if (string.IsNullOrWhiteSpace(o.S3.Bucket))
                errors.Add("Storage:S3:Bucket is required when Storage:Provider is S3.");
            if (!string.IsNullOrEmpty(o.S3.ServiceUrl) && !IsHttpUrl(o.S3.ServiceUrl))
                errors.Add("Storage:S3:ServiceUrl must be an absolute http(s) URL.");
            if (!string.IsNullOrEmpty(o.S3.PublicBaseUrl) && !IsHttpUrl(o.S3.PublicBaseUrl))
                errors.Add("Storage:S3:PublicBaseUrl must be an absolute http(s) URL.");
            if (string.IsNullOrWhiteSpace(o.S3.Region))
                errors.Add("Storage:S3:Region is required.");
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static bool IsHttpUrl(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);

    private static bool IsKey(string value)
    {
        Span<byte> buffer = stackalloc byte[256];
        return Convert.TryFromBase64String(value, buffer, out var written) && written >= 32;
    }
}
