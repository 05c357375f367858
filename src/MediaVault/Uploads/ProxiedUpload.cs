using MediaVault.Auth;
using MediaVault.Images;
using MediaVault.Storage;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace MediaVault.Uploads;

/// <summary>Upload through the server: multipart/form-data read section by section, the file part
/// streamed to storage as it arrives, never buffered whole.</summary>
internal static class ProxiedUpload
{
    private const int MaxFieldBytes = 1024;
    private const long MultipartOverhead = 64 * 1024;

    public static async Task<Results<Created<ImageDto>, ProblemHttpResult, ValidationProblem>> UploadImage(
        HttpContext http, ImageIngest ingest, ImageUrls urls, IOptions<MediaOptions> media, string? collection, CancellationToken ct)
    {
        if (!MediaTypeHeaderValue.TryParse(http.Request.ContentType, out var contentType)
            || !contentType.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase))
            return TypedResults.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Expected multipart/form-data",
                detail: "Send the file as multipart/form-data in a field named 'file'.");
        var boundary = HeaderUtilities.RemoveQuotes(contentType.Boundary).Value;
        if (string.IsNullOrEmpty(boundary) || boundary.Length > 200)
            return Malformed("The multipart boundary is missing or too long.");

        // A body that cannot fit any collection is refused before a byte is read.
        if (http.Request.ContentLength > media.Value.LargestMaxBytes + MultipartOverhead)
            return TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "File too large",
                detail: $"The request is larger than any collection allows ({media.Value.LargestMaxBytes} bytes).");

        // We count the file's bytes against its collection's limit ourselves; Kestrel's global cap would
        // refuse large collections and is not what a client should see.
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            limit.MaxRequestBodySize = null;

        var reader = new MultipartReader(boundary, new RequestBodyStream(http.Request.Body)) { HeadersLengthLimit = 16 * 1024 };
        try
        {
            while (await NextSectionAsync(reader, ct) is { } section)
            {
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)
                    || !disposition.DispositionType.Equals("form-data"))
                    return Malformed("Each part needs a Content-Disposition: form-data header.");
                var name = HeaderUtilities.RemoveQuotes(disposition.Name).Value;
                if (name == "file")
                {
                    var collectionName = string.IsNullOrEmpty(collection) ? MediaOptions.DefaultCollection : collection;
                    var options = media.Value.Find(collectionName);
                    if (options is null) return UploadsApi.UnknownCollection(collectionName);
                    var fileName = HeaderUtilities.RemoveQuotes(disposition.FileNameStar.HasValue ? disposition.FileNameStar : disposition.FileName).Value;
                    var outcome = await ingest.IngestStreamAsync(http.User.UserId(), collectionName, options, fileName,
                        section.ContentType, new RequestBodyStream(section.Body), c => RestOfFormAsync(reader, c), ct);
                    if (outcome.Rejection is { } r) return r.ToProblem();
                    return TypedResults.Created($"/images/{outcome.Image!.Id}", urls.ToDto(outcome.Image));
                }
                var value = await ReadFieldAsync(new RequestBodyStream(section.Body), ct);
                if (value is null) return Malformed($"Form field '{name}' is longer than {MaxFieldBytes} bytes.");
                if (name == "collection") collection = value;
            }
        }
        catch (Exception e) when (e is MalformedBodyException or InvalidDataException)
        {
            return Malformed("The multipart body is malformed or ended early.");
        }
        return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["file"] = ["The form has no 'file' field."] });
    }

    /// <summary>Reads what follows the file. A collection named after the file came too late to be
    /// honoured, and a second file is not taken: both refuse the upload rather than file it wrongly.</summary>
    private static async Task<Rejection?> RestOfFormAsync(MultipartReader reader, CancellationToken ct)
    {
        while (await NextSectionAsync(reader, ct) is { } section)
        {
            ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition);
            var name = HeaderUtilities.RemoveQuotes(disposition?.Name ?? default).Value;
            if (name is "collection" or "file")
                return new Rejection(StatusCodes.Status400BadRequest, "Malformed multipart body",
                    name == "file" ? "Send one file per request." : "Send the 'collection' field before the file.");
            if (await ReadFieldAsync(new RequestBodyStream(section.Body), ct) is null)
                return new Rejection(StatusCodes.Status400BadRequest, "Malformed multipart body", $"Form field '{name}' is longer than {MaxFieldBytes} bytes.");
        }
        return null;
    }

    private static async Task<MultipartSection?> NextSectionAsync(MultipartReader reader, CancellationToken ct)
    {
        try { return await reader.ReadNextSectionAsync(ct); }
        catch (IOException e) when (e is not MalformedBodyException) { throw new MalformedBodyException(e); }
    }

    private static async Task<string?> ReadFieldAsync(Stream body, CancellationToken ct)
    {
        var buffer = new byte[MaxFieldBytes + 1];
        var length = await body.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, ct);
        return length > MaxFieldBytes ? null : System.Text.Encoding.UTF8.GetString(buffer, 0, length);
    }

    private static ProblemHttpResult Malformed(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Malformed multipart body", detail: detail);
}

/// <summary>Marks read failures of the client's body as malformed input, so they are never mistaken
/// for a storage failure further down.</summary>
internal sealed class RequestBodyStream(Stream inner) : ReadOnlyStream
{
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default)
    {
        try { return await inner.ReadAsync(buffer, ct); }
        catch (Exception e) when (e is IOException or InvalidDataException && e is not MalformedBodyException)
        {
            throw new MalformedBodyException(e);
        }
    }
}

/// <summary>The request body broke off or did not follow multipart rules (400).</summary>
public sealed class MalformedBodyException(Exception inner) : IOException("The request body is malformed or ended early.", inner);
