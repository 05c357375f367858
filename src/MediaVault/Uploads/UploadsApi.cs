using System.ComponentModel.DataAnnotations;
using MediaVault.Auth;
using MediaVault.Images;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace MediaVault.Uploads;

internal static class UploadsApi
{
    /// <summary>The JSON of a presign or a registration: a file name, a type, an id, a key (a few kB at most).</summary>
    public const int MaxJsonBytes = 16 * 1024;

    public static IEndpointRouteBuilder MapUploads(this IEndpointRouteBuilder app)
    {
        var group = app.MapImagesGroup().WithTags("Uploads").RequireRateLimiting(Limits.RateLimitSetup.UploadsPerUser);

        // The statuses behind each ProblemHttpResult, for the OpenAPI document.
        group.MapPost("/presign-upload", PresignUpload).WithName(nameof(PresignUpload))
            .WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(MaxJsonBytes))
            .WithSummary("Hands out a short-lived URL (PUT, or POST with a policy) to upload straight to storage.")
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
        group.MapPost("/", CreateImage).WithName(nameof(CreateImage))
            .WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(MaxJsonBytes))
            .WithSummary("Registers a direct upload: verifies what arrived and turns it into an image.")
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        group.MapPost("/upload", ProxiedUpload.UploadImage).WithName(nameof(ProxiedUpload.UploadImage))
            .WithSummary("Uploads through the server: multipart/form-data, field 'file', streamed to storage.")
            .Accepts<IFormFile>("multipart/form-data")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        return app;
    }

    private static async Task<Results<Ok<PresignUploadResponse>, ProblemHttpResult, ValidationProblem>> PresignUpload(
        PresignUploadRequest request, HttpContext http, DirectUploads uploads, IOptions<MediaOptions> media, CancellationToken ct)
    {
        var collection = media.Value.Find(request.Collection);
        if (collection is null)
            return UnknownCollection(request.Collection);
        var method = (request.Method ?? "PUT").ToUpperInvariant();
        if (method is not ("PUT" or "POST"))
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["method"] = ["Must be PUT or POST."] });
        var declared = ImageFormat.FromContentType(request.Filetype);
        if (declared is null || !collection.Allows(declared))
            return TypedResults.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Type not allowed",
                detail: $"'{request.Filetype}' is not allowed in this collection (allowed: {string.Join(", ", collection.AllowedTypes ?? [])}).");
        if (request.Size > collection.MaxBytes)
            return TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "File too large",
                detail: $"The file is larger than this collection's limit of {collection.MaxBytes} bytes.");

        var fileName = FileNames.Sanitize(request.Filename, declared);
        var (response, refused) = await uploads.PresignAsync(http.User.UserId(), string.IsNullOrEmpty(request.Collection) ? MediaOptions.DefaultCollection : request.Collection,
            collection, declared, fileName, request.Size ?? 0, method == "POST", ct);
        return refused is null ? TypedResults.Ok(response!) : refused.ToProblem();
    }

    private static async Task<Results<Created<ImageDto>, NotFound, ProblemHttpResult, ValidationProblem>> CreateImage(
        CreateImageRequest request, HttpContext http, DirectUploads uploads, ImageUrls urls, CancellationToken ct)
    {
        if (request.UploadId is null && string.IsNullOrEmpty(request.Key))
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["uploadId"] = ["Give the uploadId or the key of the upload."] });
        var result = await uploads.CompleteAsync(http.User.UserId(), request.UploadId, request.Key, request.Filename, request.Filetype, ct);
        if (result.NotFound) return TypedResults.NotFound();
        if (result.Rejection is { } r) return r.ToProblem();
        var image = result.Image!;
        return TypedResults.Created($"/images/{image.Id}", urls.ToDto(image));
    }

    internal static ValidationProblem UnknownCollection(string? name) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["collection"] = [$"There is no collection named '{name}'."] });

    internal static ProblemHttpResult ToProblem(this Rejection r) =>
        TypedResults.Problem(statusCode: r.Status, title: r.Title, detail: r.Detail);
}

public sealed record PresignUploadRequest(
    [property: Required, StringLength(1024)] string Filename,
    [property: Required, StringLength(100)] string Filetype,
    // Optional (seed 001's client sends none): then the size is checked when the upload is registered.
    [property: Range(1, long.MaxValue, ErrorMessage = "Size must be at least 1 byte.")] long? Size = null,
    [property: StringLength(40)] string? Collection = null,
    [property: StringLength(8)] string? Method = null);

public sealed record CreateImageRequest(
    Guid? UploadId = null,
    [property: StringLength(512)] string? Key = null,
    [property: StringLength(1024)] string? Filename = null,
    [property: StringLength(100)] string? Filetype = null);

internal static class UploadsSetup
{
    public static WebApplicationBuilder AddUploads(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<ImageIngest>();
        builder.Services.AddScoped<ImageRemoval>();
        builder.Services.AddScoped<DirectUploads>();
        return builder;
    }
}
