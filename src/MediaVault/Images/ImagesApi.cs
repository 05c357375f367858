using MediaVault.Auth;
using MediaVault.Data;
using MediaVault.Infrastructure;
using MediaVault.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace MediaVault.Images;

internal static class ImagesApi
{
    public static IEndpointRouteBuilder MapImages(this IEndpointRouteBuilder app)
    {
        var group = app.MapImagesGroup().WithTags("Images").RequireRateLimiting(Limits.RateLimitSetup.SignedUrlsPerUser);

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
            if (PageCursor.Decode(cursor) is not var (createdAt, id))
                return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["cursor"] = ["Not a cursor this service handed out."] });
            query = query.Where(i => i.CreatedAt < createdAt || (i.CreatedAt == createdAt && i.Id.CompareTo(id) < 0));
        }
        var page = await query.OrderByDescending(i => i.CreatedAt).ThenByDescending(i => i.Id).Take(size + 1).ToListAsync(ct);
        var next = page.Count > size ? PageCursor.Encode(page[size - 1].CreatedAt, page[size - 1].Id) : null;
        return TypedResults.Ok(new ImagePage(page.Take(size).Select(urls.ToDto).ToList(), next));
    }

    private static async Task<Results<Ok<ImageDto>, NotFound>> GetImage(Guid id, HttpContext http, MediaVaultDb db, ImageUrls urls, CancellationToken ct)
    {
        var owner = http.User.UserId();
        var image = await db.Images.AsNoTracking().SingleOrDefaultAsync(i => i.Id == id && i.OwnerId == owner, ct);
        return image is null ? TypedResults.NotFound() : TypedResults.Ok(urls.ToDto(image));
    }

    private static async Task<Results<NoContent, NotFound>> DeleteImage(Guid id, HttpContext http, MediaVaultDb db, ImageRemoval removal, CancellationToken ct)
    {
        var owner = http.User.UserId();
        var image = await db.Images.AsNoTracking().SingleOrDefaultAsync(i => i.Id == id && i.OwnerId == owner, ct);
        if (image is null) return TypedResults.NotFound();
        // A profile showing it shows none; its row going takes it off its product.
        await db.Profiles.Where(p => p.UserId == owner && p.PictureKey == image.Key)
            .ExecuteUpdateAsync(s => s.SetProperty(p => p.PictureKey, (string?)null), ct);
        if (await db.Images.Where(i => i.Id == id && i.OwnerId == owner).ExecuteDeleteAsync(ct) == 0) return TypedResults.NotFound();
        await removal.DeleteObjectsAsync([image]);
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
}
