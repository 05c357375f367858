using System.Security.Cryptography;
using MediaVault.Tests.Infrastructure;

namespace MediaVault.Tests.Scale;

/// <summary>The environment an operator gives an app process: one PostgreSQL database and one store.</summary>
public static class InstanceEnvironment
{
    /// <summary>The local store's signing key every instance of a test run shares.</summary>
    public static readonly string SigningKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    public static Dictionary<string, string> For(StoreKind store, RgwServer rgw, string connectionString, string localRoot, Uri? publicOrigin,
        string? bucket = null)
    {
        var environment = new Dictionary<string, string>
        {
            ["MediaVault__Database__Provider"] = "PostgreSQL",
            ["MediaVault__Database__ConnectionString"] = connectionString,
            ["MediaVault__Storage__Provider"] = store.ToString(),
        };
        if (store == StoreKind.S3)
        {
            AddS3(environment, rgw, bucket ?? "mv-" + Guid.NewGuid().ToString("N")[..20]);
        }
        else
        {
            // One folder, one key, one origin: a URL signed by any instance is checked by the others.
            environment["MediaVault__Storage__Local__Root"] = localRoot;
            environment["MediaVault__Storage__Local__SigningKey"] = SigningKey;
            if (publicOrigin is not null) environment["MediaVault__Storage__Local__PublicBaseUrl"] = publicOrigin.GetLeftPart(UriPartial.Authority);
        }
        return environment;
    }

    /// <summary>The suite's Ceph RGW as the store, credentials from the standard AWS variables.</summary>
    public static void AddS3(Dictionary<string, string> environment, RgwServer rgw, string bucket)
    {
        // Several instances may try to create the bucket; the loser's BucketAlreadyOwnedByYou is ignored.
        environment["MediaVault__Storage__S3__Bucket"] = bucket;
        environment["MediaVault__Storage__S3__ServiceUrl"] = rgw.Endpoint;
        environment["MediaVault__Storage__S3__Region"] = rgw.Region;
        environment["MediaVault__Storage__S3__CreateBucket"] = "true";
        environment["AWS_ACCESS_KEY_ID"] = rgw.AccessKey;
        environment["AWS_SECRET_ACCESS_KEY"] = rgw.SecretKey;
        environment["AWS_REGION"] = rgw.Region;
    }
}
