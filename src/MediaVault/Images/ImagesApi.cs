using System.Buffers.Text;
using System.Text;
using MediaVault.Auth;
using MediaVault.Data;
using MediaVault.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace MediaVault.Images;

internal static class ImagesApi
{
    public static IEndpointRouteBuilder MapImages(this IEndpointRouteBuilder app)
    {
        var group = app.MapImagesGroup().WithTags("Images");

        group.MapGet("/", ListImages).WithName(nameof(ListImages)).WithSummary("The caller's images, newest first, paged with a cursor.");
        group.MapGet("/{id:guid}", GetImage).WithName(nameof(GetImage)).WithSummary("One image with a fresh URL.");
        group.MapDelete("/{id:guid}", DeleteImage).WithName(nameof(DeleteImage)).WithSummary("Deletes an image and its object.");
        group.MapGet("/{id:guid}/signed-url", GetSignedUrl).WithName(nameof(GetSignedUrl)).WithSummary("A fresh URL for an image.");
        group.MapGet("/signed-url", GetSignedUrlByKey).WithName(nameof(GetSignedUrlByKey)).WithSummary("A fresh URL for a stored key.");
        return app;
    }

    public sealed record ImagePage(IReadOnlyList<ImageDto> Items, string? NextCursor);

    private static async Task<Results<Ok<ImagePage>, ValidationProblem>> ListImages(
        HttpContext http, MediaVaultDb db, ImageUrls urls, string? cursor, int? limit, CancellationToken ct)
    {
        var size = limit ?? 50;
        if (size is < 1 or > 500)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["limit"] = ["Must be between 1 and 500."] });
        // The owner is read before the query: a method call inside it would be compiled on every request.
        var owner = http.User.UserId();
        var query = db.Images.AsNoTracking().Where(i => i.OwnerId == owner);
        if (cursor is not null)
        {
            if (Cursor.Decode(cursor) is not var (createdAt, id))
                return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["cursor"] = ["Not a cursor this service handed out."] });
            query = query.Where(i => i.CreatedAt < createdAt || (i.CreatedAt == createdAt && i.Id.CompareTo(id) < 0));
        }
        var page = await query.OrderByDescending(i => i.CreatedAt).ThenByDescending(i => i.Id).Take(size + 1).ToListAsync(ct);
        var next = page.Count > size ? Cursor.Encode(page[size - 1]) : null;
        return TypedResults.Ok(new ImagePage(page.Take(size).Select(urls.ToDto).ToList(), next));
    }

    private static async Task<Results<Ok<ImageDto>, NotFound>> GetImage(Guid id, HttpContext http, MediaVaultDb db, ImageUrls urls, CancellationToken ct)
    {
        var owner = http.User.UserId();
        var image = await db.Images.AsNoTracking().SingleOrDefaultAsync(i => i.Id == id && i.OwnerId == owner, ct);
        return image is null ? TypedResults.NotFound() : TypedResults.Ok(urls.ToDto(image));
    }

    private static async Task<Results<NoContent, NotFound>> DeleteImage(Guid id, HttpContext http, MediaVaultDb db, IObjectStore store,
        ILoggerFactory logs, CancellationToken ct)
    {
        var owner = http.User.UserId();
        var image = await db.Images.AsNoTracking().SingleOrDefaultAsync(i => i.Id == id && i.OwnerId == owner, ct);
        if (image is null) return TypedResults.NotFound();
        // Row first: a row must never point at a missing object. If the object delete then fails,
        // what is left is an unreferenced object, which is logged.
        if (await db.Images.Where(i => i.Id == id && i.OwnerId == owner).ExecuteDeleteAsync(ct) == 0) return TypedResults.NotFound();
        if (!image.IsLegacyUrl)
        {
            try { await store.DeleteAsync(image.Key, CancellationToken.None); }
            catch (StorageUnavailableException e)
            {
                logs.CreateLogger(typeof(ImagesApi)).LogError(e, "Image {ImageId} deleted but its object {Key} could not be removed.", id, image.Key);
            }
        }
        return TypedResults.NoContent();
    }

    private static async Task<Results<Ok<SignedUrlDto>, NotFound>> GetSignedUrl(Guid id, HttpContext http, MediaVaultDb db, ImageUrls urls, CancellationToken ct)
    {
        var owner = http.User.UserId();
        var image = await db.Images.AsNoTracking().SingleOrDefaultAsync(i => i.Id == id && i.OwnerId == owner, ct);
        return image is null ? TypedResults.NotFound() : TypedResults.Ok(urls.For(image));
    }

    private static async Task<Results<Ok<SignedUrlDto>, NotFound, ValidationProblem>> GetSignedUrlByKey(
        string? key, HttpContext http, MediaVaultDb db, ImageUrls urls, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(key) || key.Length > 2048)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["key"] = ["Give the key of one of your images."] });
        var owner = http.User.UserId();
        var image = await db.Images.AsNoTracking().FirstOrDefaultAsync(i => i.Key == key && i.OwnerId == owner, ct);
        return image is null ? TypedResults.NotFound() : TypedResults.Ok(urls.For(image));
    }

    /// <summary>Opaque keyset cursor: the (createdAt, id) of the last item of a page.</summary>
    private static class Cursor
    {
        public static string Encode(Image last) =>
            Base64Url.EncodeToString(Encoding.UTF8.GetBytes($"{last.CreatedAt.Ticks}.{last.Id:N}"));

        public static (DateTime CreatedAt, Guid Id)? Decode(string value)
        {
            try
            {
                var parts = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(value)).Split('.');
                if (parts.Length == 2 && long.TryParse(parts[0], out var ticks) && ticks >= 0 && ticks <= DateTime.MaxValue.Ticks
                    && Guid.TryParseExact(parts[1], "N", out var id))
                    return (new DateTime(ticks, DateTimeKind.Utc), id);
            }
            catch (FormatException) { }
            return null;
        }
    }
}
