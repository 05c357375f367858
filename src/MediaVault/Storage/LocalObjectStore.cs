using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;

namespace MediaVault.Storage;

/// <summary>
/// The embedded default store: a folder on disk, served by the app itself through the same
/// pre-signed URL flow as S3 (see <see cref="LocalStorageApi"/>), so clients never notice.
/// </summary>
public sealed partial class LocalObjectStore(LocalStorageFolder folder, UrlSigner signer, IHttpContextAccessor http,
    IOptions<StorageOptions> options, TimeProvider time) : IObjectStore
{
    public const string RoutePrefix = "/storage";

    // Public objects need nothing here: LocalStorageApi serves a public collection's keys unsigned.
    public async Task<ObjectInfo> PutAsync(string key, Stream content, string contentType, CancellationToken ct)
    {
        var (dataPath, metaPath) = folder.PathsOf(key);
        var tempData = folder.NewTempPath();
        var tempMeta = folder.NewTempPath();
        try
        {
            long size = 0;
            using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
            await using (var file = new FileStream(tempData, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
            {
                var buffer = new byte[1 << 16];
                int read;
                while ((read = await content.ReadAsync(buffer, ct)) > 0)
                {
                    md5.AppendData(buffer, 0, read);
                    await file.WriteAsync(buffer.AsMemory(0, read), ct);
                    size += read;
                }
                await file.FlushAsync(ct);
            }
            var info = new ObjectInfo(size, contentType, $"\"{Convert.ToHexStringLower(md5.GetHashAndReset())}\"");
            await File.WriteAllBytesAsync(tempMeta, JsonSerializer.SerializeToUtf8Bytes(new Meta(info.ContentType, info.ETag)), ct);
            Directory.CreateDirectory(Path.GetDirectoryName(dataPath)!);
            Directory.CreateDirectory(Path.GetDirectoryName(metaPath)!);
            // Rename is atomic: a reader sees the old object or the new one, never a partial file.
            File.Move(tempMeta, metaPath, overwrite: true);
            File.Move(tempData, dataPath, overwrite: true);
            return info;
        }
        finally
        {
            TryDelete(tempData);
            TryDelete(tempMeta);
        }
    }

    public async Task<ObjectInfo?> HeadAsync(string key, CancellationToken ct)
    {
        var (dataPath, metaPath) = folder.PathsOf(key);
        var file = new FileInfo(dataPath);
        if (!file.Exists) return null;
        var meta = await ReadMetaAsync(metaPath, ct);
        return new ObjectInfo(file.Length, meta.ContentType, meta.ETag);
    }

    public async Task<ObjectContent?> GetAsync(string key, ByteRange? range, CancellationToken ct)
    {
        var (dataPath, metaPath) = folder.PathsOf(key);
        FileStream stream;
        try
        {
            stream = new FileStream(dataPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1 << 16, useAsync: true);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException) { return null; }
        Meta meta;
        try { meta = await ReadMetaAsync(metaPath, ct); }
        catch
        {
            await stream.DisposeAsync();
            throw;
        }
        var info = new ObjectInfo(stream.Length, meta.ContentType, meta.ETag);
        if (range is not { } r) return new ObjectContent(stream, info);
        var from = Math.Min(r.From, stream.Length);
        var to = Math.Min(r.To, stream.Length - 1);
        stream.Position = from;
        return new ObjectContent(new SubStream(stream, Math.Max(0, to - from + 1)), info);
    }

    public async Task<bool> CopyAsync(string sourceKey, string destinationKey, string contentType, CancellationToken ct)
    {
        StorageKeys.Checked(destinationKey);
        await using var source = await GetAsync(sourceKey, null, ct);
        if (source is null) return false;
        await PutAsync(destinationKey, source.Body, contentType, ct);
        return true;
    }

    public Task DeleteAsync(string key, CancellationToken ct)
    {
        var (dataPath, metaPath) = folder.PathsOf(key);
        try
        {
            TryDelete(dataPath);
            TryDelete(metaPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StorageUnavailableException("The storage folder refused a delete.", e);
        }
        return Task.CompletedTask;
    }

    public PresignedRequest PresignGet(string key, TimeSpan lifetime, string? responseContentType, string? responseContentDisposition)
    {
        var (expires, expiresAt) = Expiry(lifetime);
        var query = new Dictionary<string, string?>();
        if (responseContentType is not null) query["response-content-type"] = responseContentType;
        if (responseContentDisposition is not null) query["response-content-disposition"] = responseContentDisposition;
        query["X-Expires"] = expires.ToString();
        query["X-Signature"] = signer.Sign("GET", key, expires, responseContentType, responseContentDisposition);
        return new PresignedRequest(ObjectUrl(key, query), "GET", new Dictionary<string, string>(), expiresAt);
    }

    public PresignedRequest PresignPut(string key, string contentType, TimeSpan lifetime)
    {
        var (expires, expiresAt) = Expiry(lifetime);
        var query = new Dictionary<string, string?>
        {
            ["X-Expires"] = expires.ToString(),
            ["X-Signature"] = signer.Sign("PUT", key, expires, contentType, null),
        };
        return new PresignedRequest(ObjectUrl(key, query), "PUT",
            new Dictionary<string, string> { ["Content-Type"] = contentType }, expiresAt);
    }

    public PresignedPost PresignPost(string key, string contentType, long maxBytes, TimeSpan lifetime)
    {
        StorageKeys.Checked(key);
        var (expires, expiresAt) = Expiry(lifetime);
        var policy = LocalPostPolicy.Encode(new LocalPostPolicy(key, contentType, maxBytes, expires));
        var fields = new Dictionary<string, string>
        {
            ["key"] = key,
            ["Content-Type"] = contentType,
            ["policy"] = policy,
            ["x-signature"] = signer.SignPolicy(policy),
        };
        return new PresignedPost(new Uri(BaseUrl() + RoutePrefix), fields, expiresAt);
    }

    public Uri GetPublicUrl(string key) => ObjectUrl(key, new Dictionary<string, string?>());

    private (long Unix, DateTimeOffset At) Expiry(TimeSpan lifetime)
    {
        var at = time.GetUtcNow() + lifetime;
        var unix = at.ToUnixTimeSeconds();
        return (unix, DateTimeOffset.FromUnixTimeSeconds(unix));
    }

    private Uri ObjectUrl(string key, Dictionary<string, string?> query) =>
        new(QueryHelpers.AddQueryString($"{BaseUrl()}{RoutePrefix}/{StorageKeys.Checked(key)}", query));

    private string BaseUrl()
    {
        if (options.Value.Local.PublicBaseUrl is { Length: > 0 } configured) return configured.TrimEnd('/');
        var request = http.HttpContext?.Request
            ?? throw new InvalidOperationException("Storage:Local:PublicBaseUrl must be set to sign URLs outside a request.");
        return Infrastructure.RequestOrigin.Of(request);
    }

    private static async Task<Meta> ReadMetaAsync(string path, CancellationToken ct)
    {
        try
        {
            await using var stream = File.OpenRead(path);
            return await JsonSerializer.DeserializeAsync<Meta>(stream, cancellationToken: ct) ?? Meta.Unknown;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or JsonException) { return Meta.Unknown; }
    }

    private static void TryDelete(string path)
    {
        try { File.Delete(path); } catch (DirectoryNotFoundException) { }
    }

    private sealed record Meta(string ContentType, string ETag)
    {
        public static readonly Meta Unknown = new("application/octet-stream", "");
    }
}
