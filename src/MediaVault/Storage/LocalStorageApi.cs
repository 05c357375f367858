using MediaVault.Images;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace MediaVault.Storage;

/// <summary>
/// Serves the local store the way S3 serves a bucket: signed GET and PUT on /storage/{key} (403 when
/// expired, tampered, for another key or method, or with another Content-Type), a form POST to /storage
/// under a signed policy, an ETag on every write, ranges on reads. Public collections read unsigned.
/// </summary>
internal static class LocalStorageApi
{
    public static IEndpointRouteBuilder MapLocalStorage(this IEndpointRouteBuilder app)
    {
        // Addressed by signed URLs the API hands out (X-Expires, X-Signature), never by a bearer token.
        var group = app.MapGroup(LocalObjectStore.RoutePrefix).WithTags("Storage (local store)")
            .RequireRateLimiting(Limits.RateLimitSetup.StoragePerIp);
        group.MapGet("/{**key}", GetObject).WithName("GetStoredObject")
            .WithSummary("Reads an object through a signed GET URL (or unsigned, for public collections); ranges give 206.")
            .Produces(StatusCodes.Status200OK, contentType: "application/octet-stream").Produces(StatusCodes.Status206PartialContent)
            .Produces(StatusCodes.Status403Forbidden).Produces(StatusCodes.Status404NotFound);
        group.MapPut("/{**key}", PutObject).WithName("PutStoredObject")
            .WithSummary("Writes an object through a signed PUT URL, with exactly the signed Content-Type; answers its ETag.")
            .Produces(StatusCodes.Status200OK).Produces(StatusCodes.Status403Forbidden).Produces(StatusCodes.Status413PayloadTooLarge);
        group.MapPost("/", PostObject).DisableAntiforgery().WithName("PostStoredObject")
            .WithSummary("Writes an object through a browser form under a signed policy (fields first, the file last).")
            .Produces(StatusCodes.Status204NoContent).Produces(StatusCodes.Status400BadRequest)
            .Produces(StatusCodes.Status403Forbidden).Produces(StatusCodes.Status413PayloadTooLarge);
        // A signature is for one method: any other method on an object URL is refused as S3 refuses it.
        group.MapMethods("/{**key}", ["HEAD", "POST", "DELETE", "PATCH", "OPTIONS"], Denied).ExcludeFromDescription();
        return app;
    }

    private static async Task<IResult> GetObject(string key, HttpContext http, LocalObjectStore store, UrlSigner signer,
        IOptions<MediaOptions> media, IOptions<StorageOptions> storage, TimeProvider time, CancellationToken ct)
    {
        if (!StorageKeys.IsValid(key)) return Denied();
        var q = http.Request.Query;
        string? type = q["response-content-type"], disposition = q["response-content-disposition"];
        var isPublic = q["X-Signature"].Count == 0 && media.Value.Find(StorageKeys.CollectionOf(key) ?? "-") is { IsPublic: true };
        // Unsigned reads may not choose response headers (as on S3): the served type is the verified one.
        if (isPublic && (type is not null || disposition is not null)) return Denied();
        if (!isPublic && !SignatureValid(http, signer, time, "GET", key, type, disposition)) return Denied();

        var content = await store.GetAsync(key, null, ct);
        if (content is null) return S3Error(StatusCodes.Status404NotFound, "NoSuchKey", "The object does not exist.");
        if (disposition is not null) http.Response.Headers.ContentDisposition = disposition;
        http.Response.Headers.CacheControl = isPublic ? storage.Value.PublicCacheControl : "private, max-age=60";
        http.Response.Headers.XContentTypeOptions = "nosniff";
        // Opened on its own (a tab, an iframe), a stored file runs no script and reaches no origin.
        http.Response.Headers.ContentSecurityPolicy = "sandbox; default-src 'none'; frame-ancestors 'none'";
        if (Unsatisfiable(http.Request, content.Info.Size))
        {
            await content.Body.DisposeAsync();
            http.Response.Headers.ContentRange = $"bytes */{content.Info.Size}";
            return TypedResults.Problem(statusCode: StatusCodes.Status416RangeNotSatisfiable, title: "InvalidRange",
                detail: $"The range starts past the end of the object ({content.Info.Size} bytes).");
        }
        EntityTagHeaderValue.TryParse(content.Info.ETag, out var etag);
        return TypedResults.Stream(content.Body, type ?? content.Info.ContentType, entityTag: etag, enableRangeProcessing: true);
    }

    private static async Task<IResult> PutObject(string key, HttpContext http, LocalObjectStore store, UrlSigner signer,
        IOptions<MediaOptions> media, TimeProvider time, CancellationToken ct)
    {
        var contentType = http.Request.ContentType;
        if (!StorageKeys.IsValid(key) || !SignatureValid(http, signer, time, "PUT", key, contentType, null)) return Denied();
        // S3 takes any size on a presigned PUT and the server refuses oversized objects when the upload is
        // registered (413); the local store does the same, within a bound that keeps the disk safe.
        var max = Math.Max(2 * media.Value.LargestMaxBytes, media.Value.LargestMaxBytes + 16 * 1024 * 1024);
        if (http.Request.ContentLength > max) return EntityTooLarge();
        LiftBodyLimit(http);
        try
        {
            var info = await store.PutAsync(key, new LimitedStream(http.Request.Body, max), contentType!, ct);
            http.Response.Headers.ETag = info.ETag;
            return Results.Ok();
        }
        catch (ContentLengthException) { return EntityTooLarge(); }
    }

    private static async Task<IResult> PostObject(HttpContext http, LocalObjectStore store, UrlSigner signer, TimeProvider time, CancellationToken ct)
    {
        if (!MediaTypeHeaderValue.TryParse(http.Request.ContentType, out var mediaType)
            || !mediaType.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase)
            || HeaderUtilities.RemoveQuotes(mediaType.Boundary).Value is not { Length: > 0 and <= 200 } boundary)
            return S3Error(StatusCodes.Status400BadRequest, "MalformedPOSTRequest", "The body must be multipart/form-data.");
        LiftBodyLimit(http);
        var fields = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var reader = new MultipartReader(boundary, http.Request.Body) { HeadersLengthLimit = 16 * 1024, HeadersCountLimit = 8 };
        var fieldBytes = 0;
        try
        {
            while (await reader.ReadNextSectionAsync(ct) is { } section)
            {
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var cd)) break;
                var name = HeaderUtilities.RemoveQuotes(cd.Name).Value ?? "";
                if (!name.Equals("file", StringComparison.OrdinalIgnoreCase))
                {
                    // Only what a policy carries, each once and short: nothing a stranger sends is kept beyond that.
                    if (!PolicyFields.Contains(name))
                        return S3Error(StatusCodes.Status400BadRequest, "InvalidArgument", $"Form field '{Truncate(name)}' is not one a policy carries.");
                    if (fields.ContainsKey(name))
                        return S3Error(StatusCodes.Status400BadRequest, "InvalidArgument", $"Form field '{name}' is given more than once.");
                    var buffer = new byte[MaxPolicyFieldBytes + 1];
                    var n = await section.Body.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, ct);
                    if (n > MaxPolicyFieldBytes || (fieldBytes += n) > MaxPolicyFormBytes)
                        return S3Error(StatusCodes.Status400BadRequest, "MaxPostPreDataLengthExceeded",
                            $"The fields before the file are longer than allowed ({MaxPolicyFormBytes} bytes in all).");
                    fields[name] = System.Text.Encoding.UTF8.GetString(buffer, 0, n);
                    continue;
                }
                // As in S3, the file is the last field and every field the policy checks came before it.
                var policy = LocalPostPolicy.Decode(fields.GetValueOrDefault("policy"));
                if (policy is null || !signer.VerifyPolicy(fields["policy"], fields.GetValueOrDefault("x-signature"))
                    || policy.Expires < time.GetUtcNow().ToUnixTimeSeconds()
                    || fields.GetValueOrDefault("key") != policy.Key || !StorageKeys.IsValid(policy.Key)
                    || fields.GetValueOrDefault("Content-Type") != policy.ContentType)
                    return Denied();
                var location = store.GetPublicUrl(policy.Key).AbsoluteUri; // before the write: a bad Host stores nothing
                try
                {
                    var info = await store.PutAsync(policy.Key, new LimitedStream(section.Body, policy.MaxBytes, minBytes: 1),
                        policy.ContentType, ct);
                    http.Response.Headers.ETag = info.ETag;
                    http.Response.Headers.Location = location;
                    return fields.GetValueOrDefault("success_action_status") switch
                    {
                        "200" => Results.Ok(),
                        "201" => Results.Text($"<PostResponse><Key>{policy.Key}</Key><ETag>{info.ETag}</ETag></PostResponse>", "application/xml", statusCode: 201),
                        _ => Results.NoContent(),
                    };
                }
                catch (ContentLengthException e)
                {
                    return e.TooLarge ? EntityTooLarge() : S3Error(StatusCodes.Status400BadRequest, "EntityTooSmall", "The file is empty.");
                }
            }
        }
        catch (Exception e) when (e is IOException or InvalidDataException && !ct.IsCancellationRequested)
        {
            return S3Error(StatusCodes.Status400BadRequest, "MalformedPOSTRequest", "The multipart body is malformed.");
        }
        return S3Error(StatusCodes.Status400BadRequest, "InvalidArgument", "The form has no 'file' field.");
    }

    /// <summary>The fields the local store's presigned POST hands out (and S3's success_action_status).</summary>
    private static readonly HashSet<string> PolicyFields = new(["key", "Content-Type", "policy", "x-signature", "success_action_status"],
        StringComparer.OrdinalIgnoreCase);
    internal const int MaxPolicyFieldBytes = 4096;
    internal const int MaxPolicyFormBytes = 8 * 1024;

    private static string Truncate(string name) => name.Length > 40 ? name[..40] + "..." : name;

    /// <summary>A single byte range that lies wholly past the end: the one case where the framework's range
    /// processing would answer a bare 416 (several ranges, or an If-Range, get the whole object as 200).</summary>
    private static bool Unsatisfiable(HttpRequest request, long size)
    {
        if (request.Headers.IfRange.Count > 0 || !RangeHeaderValue.TryParse(request.Headers.Range.ToString(), out var range)
            || !range.Unit.Equals("bytes", StringComparison.OrdinalIgnoreCase) || range.Ranges.Count != 1) return false;
        var only = range.Ranges.First();
        return only.From is { } from ? from >= size : only.To == 0;
    }

    private static bool SignatureValid(HttpContext http, UrlSigner signer, TimeProvider time, string method, string key, string? type, string? disposition)
    {
        var q = http.Request.Query;
        return long.TryParse(q["X-Expires"], out var expires)
            && expires >= time.GetUtcNow().ToUnixTimeSeconds()
            && signer.Verify(method, key, expires, type, disposition, q["X-Signature"]);
    }

    private static void LiftBodyLimit(HttpContext http)
    {
        // Limits are enforced per object above; Kestrel's global cap would cut large collections short.
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit) limit.MaxRequestBodySize = null;
    }

    private static IResult Denied() => S3Error(StatusCodes.Status403Forbidden, "AccessDenied", "The signature is missing, expired or does not match this request.");

    private static IResult EntityTooLarge() => S3Error(StatusCodes.Status400BadRequest, "EntityTooLarge", "The object is larger than allowed.");

    private static IResult S3Error(int status, string code, string detail) =>
        TypedResults.Problem(statusCode: status, title: code, detail: detail);
}
