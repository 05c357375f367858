using System.Buffers;
using System.Globalization;
using System.Net;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Microsoft.Extensions.Options;

namespace MediaVault.Storage;

/// <summary>Any S3-compatible service through AWSSDK.S3. Credentials come from the AWS default chain.</summary>
public sealed class S3ObjectStore(IAmazonS3 s3, AWSCredentials credentials, IOptions<StorageOptions> options, TimeProvider time) : IObjectStore
{
    // Parts are buffered one at a time (plus one in flight), so memory stays flat whatever the file size.
    internal const int PartSize = 8 * 1024 * 1024;
    private static readonly TimeSpan PartUrlLifetime = TimeSpan.FromMinutes(15);
    private static readonly HttpClient PartClient = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
    {
        Timeout = TimeSpan.FromMinutes(5),
    };

    private readonly S3StorageOptions _o = options.Value.S3;
    private readonly SigV4QueryPresigner _presigner = new(options.Value.S3.Region);
    private string Bucket => _o.Bucket!;
    private Protocol UrlProtocol => _o.ServiceUrl?.StartsWith("http://", StringComparison.OrdinalIgnoreCase) == true ? Protocol.HTTP : Protocol.HTTPS;

    public async Task<ObjectInfo> PutAsync(string key, Stream content, string contentType, bool publicRead, CancellationToken ct)
    {
        StorageKeys.Checked(key);
        var first = await Chunk.ReadAsync(content, PartSize, ct);
        if (first.Count < PartSize)
        {
            using (first)
            {
                var response = await Call(() => s3.PutObjectAsync(new PutObjectRequest
                {
                    BucketName = Bucket, Key = key, ContentType = contentType,
                    InputStream = new MemoryStream(first.Buffer, 0, first.Count, writable: false),
                    AutoCloseStream = false, CannedACL = publicRead ? S3CannedACL.PublicRead : null,
                }, ct));
                return new ObjectInfo(first.Count, contentType, response.ETag ?? "");
            }
        }
        return await PutMultipartAsync(key, content, contentType, publicRead, first, ct);
    }

    private async Task<ObjectInfo> PutMultipartAsync(string key, Stream content, string contentType, bool publicRead, Chunk first, CancellationToken ct)
    {
        InitiateMultipartUploadResponse init;
        try
        {
            init = await Call(() => s3.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest
            {
                BucketName = Bucket, Key = key, ContentType = contentType, CannedACL = publicRead ? S3CannedACL.PublicRead : null,
            }, ct));
        }
        catch
        {
            first.Dispose();
            throw;
        }
        var parts = new List<PartETag>();
        Task<PartETag>? inFlight = null;
        long total = 0;
        var chunk = first;
        try
        {
            var number = 0;
            while (chunk.Count > 0)
            {
                total += chunk.Count;
                var previous = inFlight;
                inFlight = UploadPartAsync(init.UploadId, key, ++number, chunk, ct);
                chunk = Chunk.Empty; // owned by the upload now
                if (previous is not null) parts.Add(await previous);
                // Read the next part while this one travels.
                chunk = await Chunk.ReadAsync(content, PartSize, ct);
            }
            chunk.Dispose(); // the empty read that ended the stream
            chunk = Chunk.Empty;
            if (inFlight is not null) parts.Add(await inFlight);
            inFlight = null;
            var done = await Call(() => s3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
            {
                BucketName = Bucket, Key = key, UploadId = init.UploadId, PartETags = parts,
            }, ct));
            return new ObjectInfo(total, contentType, done.ETag ?? "");
        }
        catch
        {
            chunk.Dispose();
            if (inFlight is not null) { try { await inFlight; } catch { /* already failing */ } }
            try
            {
                await s3.AbortMultipartUploadAsync(new AbortMultipartUploadRequest
                {
                    BucketName = Bucket, Key = key, UploadId = init.UploadId,
                }, CancellationToken.None);
            }
            catch { /* the original failure matters more; the bucket lifecycle cleans leftovers */ }
            throw;
        }
    }

    private async Task<PartETag> UploadPartAsync(string uploadId, string key, int number, Chunk chunk, CancellationToken ct)
    {
        using (chunk)
        {
            // Parts go to a query-signed URL with an unsigned payload, as a browser's would: the SDK
            // insists on hashing every byte for the signature over http, which costs the app and the
            // store a SHA-256 pass over the whole file.
            var url = SignedUrl("PUT", key, [new("partNumber", number.ToString(CultureInfo.InvariantCulture)), new("uploadId", uploadId)],
                // A protocol timestamp the store checks against its own clock: real time, not the app's TimeProvider.
                TimeProvider.System.GetUtcNow(), PartUrlLifetime);
            using var content = new ByteArrayContent(chunk.Buffer, 0, chunk.Count);
            HttpResponseMessage response;
            try { response = await PartClient.PutAsync(url, content, ct); }
            catch (HttpRequestException e) { throw new StorageUnavailableException("Object storage could not be reached.", e); }
            catch (OperationCanceledException e) when (!ct.IsCancellationRequested)
            {
                throw new StorageUnavailableException("Object storage did not answer a part upload in time.", e);
            }
            using (response)
            {
                if (!response.IsSuccessStatusCode || !response.Headers.TryGetValues("ETag", out var etags))
                    throw new StorageUnavailableException($"Object storage answered {(int)response.StatusCode} to a part upload.");
                return new PartETag(number, etags.First());
            }
        }
    }

    public async Task<ObjectInfo?> HeadAsync(string key, CancellationToken ct)
    {
        StorageKeys.Checked(key);
        try
        {
            var m = await Call(() => s3.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = Bucket, Key = key }, ct));
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
            var o = await Call(() => s3.GetObjectAsync(request, ct));
            var size = o.ContentRange is { } cr && cr.LastIndexOf('/') is var slash and > 0 && long.TryParse(cr[(slash + 1)..], out var full)
                ? full : o.ContentLength;
            return new ObjectContent(o.ResponseStream, new ObjectInfo(size, o.Headers.ContentType ?? "application/octet-stream", o.ETag ?? ""));
        }
        catch (ObjectMissing) { return null; }
    }

    public async Task<bool> CopyAsync(string sourceKey, string destinationKey, string contentType, bool publicRead, CancellationToken ct)
    {
        StorageKeys.Checked(sourceKey);
        StorageKeys.Checked(destinationKey);
        try
        {
            var request = new CopyObjectRequest
            {
                SourceBucket = Bucket, SourceKey = sourceKey, DestinationBucket = Bucket, DestinationKey = destinationKey,
                ContentType = contentType, MetadataDirective = S3MetadataDirective.REPLACE,
            };
            if (publicRead) request.CannedACL = S3CannedACL.PublicRead;
            await Call(() => s3.CopyObjectAsync(request, ct));
            return true;
        }
        catch (ObjectMissing) { return false; }
    }

    public async Task DeleteAsync(string key, CancellationToken ct)
    {
        StorageKeys.Checked(key);
        try { await Call(() => s3.DeleteObjectAsync(new DeleteObjectRequest { BucketName = Bucket, Key = key }, ct)); }
        catch (ObjectMissing) { }
    }

    public PresignedRequest PresignGet(string key, TimeSpan lifetime, string? responseContentType, string? responseContentDisposition)
    {
        StorageKeys.Checked(key);
        var now = DateTimeOffset.FromUnixTimeSeconds(time.GetUtcNow().ToUnixTimeSeconds());
        var query = new List<KeyValuePair<string, string>>(2);
        if (responseContentType is not null) query.Add(new("response-content-type", responseContentType));
        if (responseContentDisposition is not null) query.Add(new("response-content-disposition", responseContentDisposition));
        return new PresignedRequest(new Uri(SignedUrl("GET", key, query, now, lifetime)), "GET", new Dictionary<string, string>(), now + lifetime);
    }

    /// <summary>A SigV4 query-signed URL for <paramref name="key"/>, with the current credentials.</summary>
    private string SignedUrl(string method, string key, IEnumerable<KeyValuePair<string, string>> query, DateTimeOffset now,
        TimeSpan lifetime, string? signedContentType = null)
    {
        var (scheme, host, path) = ObjectLocation(key);
        var identity = credentials.GetCredentials();
        return _presigner.Presign(method, scheme, host, path, query, now, lifetime, identity.AccessKey, identity.SecretKey,
            identity.UseToken ? identity.Token : null, signedContentType);
    }

    /// <summary>Where the SDK would send a request for this key: path style, or the bucket as a host name.</summary>
    private (string Scheme, string Host, string Path) ObjectLocation(string key)
    {
        if (_o.ServiceUrl is { Length: > 0 } service)
        {
            var endpoint = new Uri(service);
            var basePath = endpoint.AbsolutePath.TrimEnd('/');
            return _o.ForcePathStyle
                ? (endpoint.Scheme, endpoint.Authority, $"{basePath}/{Bucket}/{key}")
                : (endpoint.Scheme, $"{Bucket}.{endpoint.Authority}", $"{basePath}/{key}");
        }
        return _o.ForcePathStyle
            ? ("https", $"s3.{_o.Region}.amazonaws.com", $"/{Bucket}/{key}")
            : ("https", $"{Bucket}.s3.{_o.Region}.amazonaws.com", $"/{key}");
    }

    public PresignedRequest PresignPut(string key, string contentType, TimeSpan lifetime)
    {
        StorageKeys.Checked(key);
        var now = DateTimeOffset.FromUnixTimeSeconds(time.GetUtcNow().ToUnixTimeSeconds());
        // Content-Type is a signed header: a PUT with another one gets 403.
        var url = SignedUrl("PUT", key, [], now, lifetime, contentType);
        return new PresignedRequest(new Uri(url), "PUT", new Dictionary<string, string> { ["Content-Type"] = contentType }, now + lifetime);
    }

    public PresignedPost PresignPost(string key, string contentType, long maxBytes, TimeSpan lifetime)
    {
        StorageKeys.Checked(key);
        var expires = time.GetUtcNow() + lifetime;
        var request = new CreatePresignedPostRequest { BucketName = Bucket, Key = key, Expires = expires.UtcDateTime };
        request.Fields["Content-Type"] = contentType;
        request.Conditions.Add(S3PostCondition.ExactMatch("Content-Type", contentType));
        request.Conditions.Add(S3PostCondition.ContentLengthRange(1, maxBytes));
        var response = s3.CreatePresignedPost(request);
        var url = new UriBuilder(response.Url);
        if (UrlProtocol == Protocol.HTTP) url.Scheme = Uri.UriSchemeHttp;
        if (url.Uri.IsDefaultPort) url.Port = -1;
        return new PresignedPost(url.Uri, new Dictionary<string, string>(response.Fields), expires);
    }

    public Uri GetPublicUrl(string key)
    {
        StorageKeys.Checked(key);
        var baseUrl = _o.PublicBaseUrl
            ?? (_o.ServiceUrl is { Length: > 0 } service ? $"{service.TrimEnd('/')}/{Bucket}" : $"https://{Bucket}.s3.{_o.Region}.amazonaws.com");
        return new Uri($"{baseUrl.TrimEnd('/')}/{key}");
    }

    /// <summary>Translates S3 failures at the boundary: "not found" becomes <see cref="ObjectMissing"/>,
    /// anything else that is S3's or the network's fault becomes <see cref="StorageUnavailableException"/>.</summary>
    private static async Task<T> Call<T>(Func<Task<T>> action)
    {
        try { return await action(); }
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

    /// <summary>A pooled buffer filled from a stream.</summary>
    private readonly record struct Chunk(byte[] Buffer, int Count) : IDisposable
    {
        public static Chunk Empty => new([], 0);

        public static async Task<Chunk> ReadAsync(Stream source, int size, CancellationToken ct)
        {
            var buffer = ArrayPool<byte>.Shared.Rent(size);
            var count = 0;
            try
            {
                int read;
                while (count < size && (read = await source.ReadAsync(buffer.AsMemory(count, size - count), ct)) > 0)
                    count += read;
                return new Chunk(buffer, count);
            }
            catch
            {
                ArrayPool<byte>.Shared.Return(buffer);
                throw;
            }
        }

        public void Dispose()
        {
            if (Buffer.Length > 0) ArrayPool<byte>.Shared.Return(Buffer);
        }
    }
}
