using System.Buffers;
using System.Globalization;
using Amazon.S3;
using Amazon.S3.Model;

namespace MediaVault.Storage;

/// <summary>Puts of unknown length: 8 MiB parts read while the previous one travels, each sent to a
/// query-signed URL with an unsigned payload; any failure aborts the upload so nothing is kept.</summary>
public sealed partial class S3ObjectStore
{
    // Parts are buffered one at a time (plus one in flight), so memory stays flat whatever the file size.
    internal const int PartSize = 8 * 1024 * 1024;
    private static readonly TimeSpan PartUrlLifetime = TimeSpan.FromMinutes(15);
    private static readonly HttpClient PartClient = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
    {
        Timeout = System.Threading.Timeout.InfiniteTimeSpan, // each part has its own progress deadline
    };

    private async Task<ObjectInfo> PutMultipartAsync(string key, Stream content, string contentType, Chunk first, CancellationToken ct)
    {
        InitiateMultipartUploadResponse init;
        try
        {
            init = await Call(t => s3.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest
            {
                BucketName = Bucket, Key = key, ContentType = contentType, Headers = { CacheControl = CacheControlFor(key) },
            }, t), ct);
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
            var done = await Call(t => s3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
            {
                BucketName = Bucket, Key = key, UploadId = init.UploadId, PartETags = parts,
            }, t), ct);
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
            // The deadline counts progress: it is pushed back each time a slice of the part is sent.
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
            deadline.CancelAfter(_timeout);
            using var content = new ProgressDeadlineContent(chunk.Buffer, chunk.Count, deadline, _timeout);
            HttpResponseMessage response;
            try { response = await PartClient.PutAsync(url, content, deadline.Token); }
            catch (HttpRequestException e) { throw new StorageUnavailableException("Object storage could not be reached.", e); }
            catch (OperationCanceledException e) when (!ct.IsCancellationRequested)
            {
                throw new StorageUnavailableException($"Object storage made no progress on a part upload for {_timeout.TotalSeconds:0.#} s.", e);
            }
            using (response)
            {
                if (!response.IsSuccessStatusCode || !response.Headers.TryGetValues("ETag", out var etags))
                    throw new StorageUnavailableException($"Object storage answered {(int)response.StatusCode} to a part upload.");
                return new PartETag(number, etags.First());
            }
        }
    }

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
