using MediaVault.Auth;
using MediaVault.Images;
using MediaVault.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;

namespace MediaVault.Uploads;

/// <summary>Upload through the server: multipart/form-data read section by section, the file part
/// streamed to storage as it arrives, never buffered whole.</summary>
internal static class ProxiedUpload
{
    public static async Task<Results<Created<ImageDto>, ProblemHttpResult, ValidationProblem>> UploadImage(
        HttpContext http, ImageIngest ingest, ImageUrls urls, IOptions<MediaOptions> media, string? collection, CancellationToken ct)
    {
        // A body that cannot fit any collection is refused before a byte is read.
        var (reader, refused) = MultipartForm.Open(http, media.Value.LargestMaxBytes + MultipartForm.Overhead, "file");
        if (refused is not null) return refused;
        try
        {
            while (await MultipartForm.NextAsync(reader!, ct) is { } part)
            {
                if (part.Name == "file")
                {
                    var collectionName = string.IsNullOrEmpty(collection) ? MediaOptions.DefaultCollection : collection;
                    var options = media.Value.Find(collectionName);
                    if (options is null) return UploadsApi.UnknownCollection(collectionName);
                    var outcome = await ingest.IngestStreamAsync(http.User.UserId(), collectionName, options, part.FileName,
                        part.ContentType, part.Body, c => RestOfFormAsync(reader!, c), ct);
                    if (outcome.Rejection is { } r) return r.ToProblem();
                    return TypedResults.Created($"/images/{outcome.Image!.Id}", urls.ToDto(outcome.Image));
                }
                var value = await MultipartForm.ReadFieldAsync(part, ct);
                if (value is null) return MultipartForm.Malformed($"Form field '{part.Name}' is longer than {MultipartForm.MaxFieldBytes} bytes.");
                if (part.Name != "collection") continue;
                // Named twice (query and form, or two fields) and not alike: neither is chosen silently.
                if (!string.IsNullOrEmpty(collection) && collection != value)
                    return TypedResults.ValidationProblem(new Dictionary<string, string[]>
                    {
                        ["collection"] = [$"The collection is given twice and the two differ ('{collection}' and '{value}'); give it once."],
                    });
                collection = value;
            }
        }
        catch (Exception e) when (e is MalformedBodyException or InvalidDataException or FormLimitException)
        {
            return MultipartForm.Refused(e);
        }
        return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["file"] = ["The form has no 'file' field."] });
    }

    /// <summary>Reads what follows the file. A collection named after the file came too late to be
    /// honoured, and a second file is not taken: both refuse the upload rather than file it wrongly.</summary>
    private static async Task<Rejection?> RestOfFormAsync(MultipartReader reader, CancellationToken ct)
    {
        while (await MultipartForm.NextAsync(reader, ct) is { } part)
        {
            if (part.Name is "collection" or "file")
                return new Rejection(StatusCodes.Status400BadRequest, "Malformed multipart body",
                    part.Name == "file" ? "Send one file per request." : "Send the 'collection' field before the file.");
            if (await MultipartForm.ReadFieldAsync(part, ct) is null)
                return new Rejection(StatusCodes.Status400BadRequest, "Malformed multipart body",
                    $"Form field '{part.Name}' is longer than {MultipartForm.MaxFieldBytes} bytes.");
        }
        return null;
    }
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
