using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;

namespace MediaVault.Storage;

/// <summary>Pre-signed and public URLs: GET and PUT signed by <see cref="SigV4QueryPresigner"/>, form POST
/// policies by the SDK.</summary>
public sealed partial class S3ObjectStore
{
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
}
