namespace MediaVault.Storage;

/// <summary>
/// The one seam to object storage. Two real implementations (S3 and local disk) pass the same
/// contract suite; features never see a storage SDK type.
/// </summary>
public interface IObjectStore
{
    /// <summary>Streams <paramref name="content"/> (length unknown up front) to <paramref name="key"/>.
    /// Readers never see a partial object; if the stream throws, nothing is kept.</summary>
    Task<ObjectInfo> PutAsync(string key, Stream content, string contentType, CancellationToken ct);

    /// <summary>Size, type and ETag of an object, or null when there is none.</summary>
    Task<ObjectInfo?> HeadAsync(string key, CancellationToken ct);

    /// <summary>Opens an object (or the inclusive byte range <paramref name="range"/> of it), or null when there is none.</summary>
    Task<ObjectContent?> GetAsync(string key, ByteRange? range, CancellationToken ct);

    /// <summary>Server-side copy; false when the source does not exist.</summary>
    Task<bool> CopyAsync(string sourceKey, string destinationKey, string contentType, CancellationToken ct);

    /// <summary>Deletes an object; deleting a missing object is not an error.</summary>
    Task DeleteAsync(string key, CancellationToken ct);

    /// <summary>Objects whose key starts with <paramref name="prefix"/>, in ordinal (byte) order of their keys.</summary>
    IAsyncEnumerable<StoredObject> ListAsync(string prefix, CancellationToken ct);

    /// <summary>Removes the remains of writes that never finished (S3: incomplete multipart uploads;
    /// disk: temporary files) started before <paramref name="startedBefore"/>; returns how many.</summary>
    Task<int> RemoveIncompleteWritesAsync(DateTimeOffset startedBefore, CancellationToken ct);

    PresignedRequest PresignGet(string key, TimeSpan lifetime, string? responseContentType, string? responseContentDisposition);

    /// <summary>A PUT URL that only accepts a request carrying exactly <paramref name="contentType"/>.</summary>
    PresignedRequest PresignPut(string key, string contentType, TimeSpan lifetime);

    /// <summary>A browser-form POST policy pinning the key, the Content-Type and a 1..maxBytes length range.</summary>
    PresignedPost PresignPost(string key, string contentType, long maxBytes, TimeSpan lifetime);

    /// <summary>A clean, unsigned URL for objects of public collections.</summary>
    Uri GetPublicUrl(string key);
}

public sealed record ObjectInfo(long Size, string ContentType, string ETag);

public readonly record struct ByteRange(long From, long To);

public sealed record StoredObject(string Key, long Size, DateTimeOffset LastModified);

public sealed class ObjectContent(Stream body, ObjectInfo info) : IAsyncDisposable
{
    public Stream Body { get; } = body;
    public ObjectInfo Info { get; } = info;
    public ValueTask DisposeAsync() => Body.DisposeAsync();
}

public sealed record PresignedRequest(Uri Url, string Method, IReadOnlyDictionary<string, string> Headers, DateTimeOffset ExpiresAt);

public sealed record PresignedPost(Uri Url, IReadOnlyDictionary<string, string> Fields, DateTimeOffset ExpiresAt);

/// <summary>Storage could not be reached or answered with an error we cannot handle (mapped to 503).</summary>
public sealed class StorageUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
