using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace MediaVault.Uploads;

/// <summary>Reading a multipart/form-data body section by section, for every endpoint that takes files
/// through the server: nothing is buffered whole, text fields are capped, read failures are the client's.</summary>
internal static class MultipartForm
{
    public const int MaxFieldBytes = 1024;
    public const long Overhead = 64 * 1024;

    /// <summary>A reader over the request body, or the problem that refuses it before a byte is read.
    /// <paramref name="maxBody"/> bounds what any valid request can carry; files are counted against their own limits.</summary>
    public static (MultipartReader? Reader, ProblemHttpResult? Problem) Open(HttpContext http, long maxBody, string fileField)
    {
        if (!MediaTypeHeaderValue.TryParse(http.Request.ContentType, out var contentType)
            || !contentType.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase))
            return (null, TypedResults.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Expected multipart/form-data",
                detail: $"Send the file as multipart/form-data in a field named '{fileField}'."));
        var boundary = HeaderUtilities.RemoveQuotes(contentType.Boundary).Value;
        if (string.IsNullOrEmpty(boundary) || boundary.Length > 200)
            return (null, Malformed("The multipart boundary is missing or too long."));
        if (http.Request.ContentLength > maxBody)
            return (null, TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "File too large",
                detail: $"The request is larger than this endpoint accepts ({maxBody - Overhead} bytes of files)."));
        // Files are counted against their collection's limit as they stream; Kestrel's global cap would
        // refuse large collections and is not what a client should see.
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            limit.MaxRequestBodySize = null;
        return (new MultipartReader(boundary, new RequestBodyStream(http.Request.Body)) { HeadersLengthLimit = 16 * 1024 }, null);
    }

    /// <summary>The next part with its form-data name and file name, or null at the end. A part without a
    /// form-data disposition is malformed input.</summary>
    public static async Task<Part?> NextAsync(MultipartReader reader, CancellationToken ct)
    {
        MultipartSection? section;
        try { section = await reader.ReadNextSectionAsync(ct); }
        catch (IOException e) when (e is not MalformedBodyException) { throw new MalformedBodyException(e); }
        if (section is null) return null;
        if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)
            || !disposition.DispositionType.Equals("form-data"))
            throw new MalformedBodyException(new InvalidDataException("Each part needs a Content-Disposition: form-data header."));
        var fileName = HeaderUtilities.RemoveQuotes(disposition.FileNameStar.HasValue ? disposition.FileNameStar : disposition.FileName).Value;
        return new Part(HeaderUtilities.RemoveQuotes(disposition.Name).Value ?? "", fileName, section.ContentType, new RequestBodyStream(section.Body));
    }

    /// <summary>A text field's value, or null when it is longer than <paramref name="maxBytes"/>.</summary>
    public static async Task<string?> ReadFieldAsync(Stream body, CancellationToken ct, int maxBytes = MaxFieldBytes)
    {
        var buffer = new byte[maxBytes + 1];
        var length = await body.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, ct);
        return length > maxBytes ? null : System.Text.Encoding.UTF8.GetString(buffer, 0, length);
    }

    public static ProblemHttpResult Malformed(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Malformed multipart body", detail: detail);

    public sealed record Part(string Name, string? FileName, string? ContentType, Stream Body);
}
