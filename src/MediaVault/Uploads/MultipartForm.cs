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
    /// <summary>Default caps on a form's parts and on the bytes of its text fields (files have their own limits).</summary>
    public const int MaxParts = 20;
    public const int MaxTextBytes = 16 * 1024;

    /// <summary>A reader over the request body, or the problem that refuses it before a byte is read.
    /// <paramref name="maxBody"/> bounds what any valid request can carry; files are counted against their own limits.</summary>
    public static (MultipartReader? Reader, ProblemHttpResult? Problem) Open(HttpContext http, long maxBody, string fileField,
        int maxParts = MaxParts, int maxTextBytes = MaxTextBytes)
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
        return (new BoundedReader(boundary, new RequestBodyStream(http.Request.Body), maxParts, maxTextBytes) { HeadersLengthLimit = 16 * 1024 }, null);
    }

    /// <summary>The next part with its form-data name and file name, or null at the end. A part without a
    /// form-data disposition is malformed input.</summary>
    public static async Task<Part?> NextAsync(MultipartReader reader, CancellationToken ct)
    {
        MultipartSection? section;
        try { section = await reader.ReadNextSectionAsync(ct); }
        catch (IOException e) when (e is not MalformedBodyException) { throw new MalformedBodyException(e); }
        if (section is null) return null;
        if (reader is BoundedReader bounded && ++bounded.Parts > bounded.MaxParts)
            throw new FormLimitException(StatusCodes.Status400BadRequest, $"A form here has at most {bounded.MaxParts} parts.");
        if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)
            || !disposition.DispositionType.Equals("form-data"))
            throw new MalformedBodyException(new InvalidDataException("Each part needs a Content-Disposition: form-data header."));
        var fileName = HeaderUtilities.RemoveQuotes(disposition.FileNameStar.HasValue ? disposition.FileNameStar : disposition.FileName).Value;
        return new Part(HeaderUtilities.RemoveQuotes(disposition.Name).Value ?? "", fileName, section.ContentType, new RequestBodyStream(section.Body),
            reader as BoundedReader);
    }

    /// <summary>A text field's value, or null when it is longer than <paramref name="maxBytes"/>. Every text
    /// field of a form counts against the form's total (a <see cref="FormLimitException"/> past it).</summary>
    public static async Task<string?> ReadFieldAsync(Part part, CancellationToken ct, int maxBytes = MaxFieldBytes)
    {
        var buffer = new byte[maxBytes + 1];
        var length = await part.Body.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, ct);
        if (part.Form is { } form && (form.TextBytes += Math.Min(length, maxBytes)) > form.MaxTextBytes)
            throw new FormLimitException(StatusCodes.Status413PayloadTooLarge, $"The text fields of a form here hold at most {form.MaxTextBytes} bytes in all.");
        return length > maxBytes ? null : System.Text.Encoding.UTF8.GetString(buffer, 0, length);
    }

    public static ProblemHttpResult Malformed(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Malformed multipart body", detail: detail);

    /// <summary>The answer to a form that broke a rule while it was read.</summary>
    public static ProblemHttpResult Refused(Exception e) => e is FormLimitException limit
        ? TypedResults.Problem(statusCode: limit.Status, title: limit.Status == StatusCodes.Status413PayloadTooLarge ? "Form too large" : "Too many form parts",
            detail: limit.Message)
        : Malformed("The multipart body is malformed or ended early.");

    public static Rejection ToRejection(this FormLimitException e) =>
        new(e.Status, e.Status == StatusCodes.Status413PayloadTooLarge ? "Form too large" : "Too many form parts", e.Message);

    public sealed record Part(string Name, string? FileName, string? ContentType, Stream Body, BoundedReader? Form = null);

    /// <summary>A reader that counts what a form has used of its caps.</summary>
    internal sealed class BoundedReader(string boundary, Stream body, int maxParts, int maxTextBytes) : MultipartReader(boundary, body)
    {
        public int MaxParts { get; } = maxParts;
        public int MaxTextBytes { get; } = maxTextBytes;
        public int Parts { get; set; }
        public int TextBytes { get; set; }
    }
}

/// <summary>A form with more parts or more text than its endpoint takes (400 or 413).</summary>
public sealed class FormLimitException(int status, string detail) : Exception(detail)
{
    public int Status { get; } = status;
}
