using Amazon.S3;
using Amazon.S3.Model;
using MediaVault.Storage;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.DependencyInjection;

namespace MediaVault.Tests.Infrastructure;

/// <summary>Looks straight into the app's store, to prove what is (not) left behind.</summary>
public static class StoreInspection
{
    public static async Task<IReadOnlyList<string>> ObjectKeysAsync(this MediaVaultApplication app)
    {
        // Where the app really keeps objects (a test may point it at another instance's folder or bucket).
        var options = app.Services.GetRequiredService<IOptions<StorageOptions>>().Value;
        if (app.Store == StoreKind.Local)
        {
            var root = Path.Combine(app.Services.GetRequiredService<LocalStorageFolder>().Root, "objects");
            return Directory.Exists(root)
                ? Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(root, f)).Order().ToList()
                : [];
        }
        var s3 = app.Services.GetRequiredService<IAmazonS3>();
        var keys = new List<string>();
        var request = new ListObjectsV2Request { BucketName = options.S3.Bucket };
        ListObjectsV2Response response;
        do
        {
            response = await s3.ListObjectsV2Async(request);
            keys.AddRange((response.S3Objects ?? []).Select(o => o.Key));
            request.ContinuationToken = response.NextContinuationToken;
        } while (response.IsTruncated == true);
        return keys.Order().ToList();
    }
}
