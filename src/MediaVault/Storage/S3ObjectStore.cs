using System.Net;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Microsoft.Extensions.Options;

namespace MediaVault.Storage;

/// <summary>Any S3-compatible service through AWSSDK.S3. Credentials come from the AWS default chain.</summary>
public sealed partial class S3ObjectStore(IAmazonS3 s3, AWSCredentials credentials, IOptions<StorageOptions> options, TimeProvider time,
    IOptions<Images.MediaOptions> media) : IObjectStore
{
    /// <summary>Objects of public collections are read unsigned (a CDN, a browser cache): they carry the
    /// configured lifetime. Everything else is read through short-lived signed URLs and carries none.</summary>
    private string? CacheControlFor(string key) =>
        media.Value.Find(StorageKeys.CollectionOf(key) ?? "-") is { IsPublic: true } ? options.Value.PublicCacheControl : null;

    private readonly S3StorageOptions _o = options.Value.S3;
    private readonly TimeSpan _timeout = options.Value.Timeout;
    private readonly SigV4QueryPresigner _presigner = new(options.Value.S3.Region);
    private string Bucket => _o.Bucket!;
    private Protocol UrlProtocol => _o.ServiceUrl?.StartsWith("http://", StringComparison.OrdinalIgnoreCase) == true ? Protocol.HTTP : Protocol.HTTPS;

    public async Task<ObjectInfo> PutAsync(string key, Stream content, string contentType, CancellationToken ct)
    {
        StorageKeys.Checked(key);
        var first = await Chunk.ReadAsync(content, PartSize, ct);
        if (first.Count < PartSize)
        {
            using (first)
            {
                var response = await Call(t => s3.PutObjectAsync(new PutObjectRequest
                {
                    BucketName = Bucket, Key = key, ContentType = contentType, Headers = { CacheControl = CacheControlFor(key) },
                    InputStream = new MemoryStream(first.Buffer, 0, first.Count, writable: false),
                    AutoCloseStream = false,
                }, t), ct);
                return new ObjectInfo(first.Count, contentType, response.ETag ?? "");
            }
        }
        return await PutMultipartAsync(key, content, contentType, first, ct);
    }

    public async Task<ObjectInfo?> HeadAsync(string key, CancellationToken ct)
    {
        StorageKeys.Checked(key);
        try
        {
            var m = await Call(t => s3.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = Bucket, Key = key }, t), ct);
            return new ObjectInfo(m.ContentLength, m.Headers.ContentType ?? "application/octet-stream", m.ETag ?? "");
        }
        catch (ObjectMissing) { return null; }
    }

    public async Task<ObjectContent?> GetAsync(string key, ByteRange? range, CancellationToken ct)
    {
        StorageKeys.Checked(key);
        try
        {
            var request = new GetObjectRequest { BucketName = Bucket, Key = key };
            if (range is { } r) request.ByteRange = new Amazon.S3.Model.ByteRange(r.From, r.To);
            var o = await Call(t => s3.GetObjectAsync(request, t), ct);
            var size = o.ContentRange is { } cr && cr.LastIndexOf('/') is var slash and > 0 && long.TryParse(cr[(slash + 1)..], out var full)
                ? full : o.ContentLength;
            return new ObjectContent(new DeadlineStream(o.ResponseStream, _timeout), new ObjectInfo(size, o.Headers.ContentType ?? "application/octet-stream", o.ETag ?? ""));
        }
        catch (ObjectMissing) { return null; }
    }

    public async Task<bool> CopyAsync(string sourceKey, string destinationKey, string contentType, CancellationToken ct)
    {
        StorageKeys.Checked(sourceKey);
        StorageKeys.Checked(destinationKey);
        try
        {
            var request = new CopyObjectRequest
            {
                SourceBucket = Bucket, SourceKey = sourceKey, DestinationBucket = Bucket, DestinationKey = destinationKey,
                ContentType = contentType, MetadataDirective = S3MetadataDirective.REPLACE,
                Headers = { CacheControl = CacheControlFor(destinationKey) },
            };
            await Call(t => s3.CopyObjectAsync(request, t), ct);
            return true;
        }
        catch (ObjectMissing) { return false; }
    }

    public async Task DeleteAsync(string key, CancellationToken ct)
    {
        StorageKeys.Checked(key);
        try { await Call(t => s3.DeleteObjectAsync(new DeleteObjectRequest { BucketName = Bucket, Key = key }, t), ct); }
        catch (ObjectMissing) { }
    }

    public async IAsyncEnumerable<StoredObject> ListAsync(string prefix, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        var request = new ListObjectsV2Request { BucketName = Bucket, Prefix = prefix, MaxKeys = 1000 };
        while (true)
        {
            var page = await Call(t => s3.ListObjectsV2Async(request, t), ct);
            foreach (var o in page.S3Objects ?? [])
                yield return new StoredObject(o.Key, o.Size ?? 0, o.LastModified is { } at ? new DateTimeOffset(at.ToUniversalTime(), TimeSpan.Zero) : DateTimeOffset.MinValue);
            if (page.IsTruncated != true) yield break;
            request.ContinuationToken = page.NextContinuationToken;
        }
    }

    public async Task<int> RemoveIncompleteWritesAsync(DateTimeOffset startedBefore, CancellationToken ct)
    {
        var removed = 0;
        var request = new ListMultipartUploadsRequest { BucketName = Bucket };
        while (true)
        {
            var page = await Call(t => s3.ListMultipartUploadsAsync(request, t), ct);
            foreach (var upload in page.MultipartUploads ?? [])
            {
                if (upload.Initiated is not { } initiated || initiated.ToUniversalTime() >= startedBefore.UtcDateTime) continue;
                try
                {
                    await Call(t => s3.AbortMultipartUploadAsync(new AbortMultipartUploadRequest { BucketName = Bucket, Key = upload.Key, UploadId = upload.UploadId }, t), ct);
                    removed++;
                }
                catch (ObjectMissing) { } // finished or aborted meanwhile
            }
            if (page.IsTruncated != true) return removed;
            request.KeyMarker = page.NextKeyMarker;
            request.UploadIdMarker = page.NextUploadIdMarker;
        }
    }

    /// <summary>Translates S3 failures at the boundary: "not found" becomes <see cref="ObjectMissing"/>,
    /// anything else that is S3's or the network's fault becomes <see cref="StorageUnavailableException"/>.</summary>
    private async Task<T> Call<T>(Func<CancellationToken, Task<T>> action, CancellationToken ct)
    {
        // A store that stops answering (the socket stays open, nothing comes back) must not hold a request forever.
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(_timeout);
        try { return await action(deadline.Token); }
        catch (Exception e) when (e is OperationCanceledException && !ct.IsCancellationRequested)
        {
            throw new StorageUnavailableException($"Object storage did not answer within {_timeout.TotalSeconds:0.#} s.", e);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound && e.ErrorCode != "NoSuchBucket")
        {
            throw new ObjectMissing();
        }
        catch (AmazonS3Exception e)
        {
            throw new StorageUnavailableException($"Object storage answered {(int)e.StatusCode} {e.ErrorCode}.", e);
        }
        catch (Exception e) when (e is AmazonServiceException or AmazonClientException or HttpRequestException or IOException && e is not OperationCanceledException)
        {
            throw new StorageUnavailableException("Object storage could not be reached.", e);
        }
    }

    private sealed class ObjectMissing : Exception;
}
