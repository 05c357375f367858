using MediaVault.Auth;
using MediaVault.Data;
using MediaVault.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace MediaVault.Products;

internal static class ProductsApi
{
    public static IEndpointRouteBuilder MapProducts(this IEndpointRouteBuilder app)
    {
        var group = app.MapApiGroup("/products").WithTags("Products");
        var signedUrls = Limits.RateLimitSetup.SignedUrlsPerUser;
        group.MapGet("/", ListProducts).RequireRateLimiting(signedUrls).WithName(nameof(ListProducts)).WithSummary("Every user's products, newest first, paged with a cursor.");
        group.MapGet("/{id:guid}", GetProduct).RequireRateLimiting(signedUrls).WithName(nameof(GetProduct)).WithSummary("One product with its images in order, each with a fresh URL.");
        group.MapPost("/", ProductCreation.CreateProduct).WithName(nameof(ProductCreation.CreateProduct))
            .RequireRateLimiting(Limits.RateLimitSetup.MultipartUploadsPerUser).ProducesProblem(StatusCodes.Status403Forbidden)
            .WithSummary("Creates a product: JSON with the ids of images uploaded before, or multipart/form-data with the fields and files in 'images'.")
            .Accepts<CreateProductRequest>("application/json", "multipart/form-data")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        group.MapPatch("/{id:guid}", UpdateProduct).WithName(nameof(UpdateProduct))
            .WithSummary("Changes a product; imageIds replaces its ordered images (images taken off are deleted).")
            .WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(ProductCreation.MaxJsonBytes))
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status413PayloadTooLarge);
        group.MapDelete("/{id:guid}", DeleteProduct).WithName(nameof(DeleteProduct)).WithSummary("Deletes a product and its images.")
            .ProducesProblem(StatusCodes.Status403Forbidden);
        return app;
    }

    private static async Task<Results<Ok<ProductPage>, ValidationProblem>> ListProducts(
        MediaVaultDb db, ProductStore products, string? cursor, int? limit, CancellationToken ct)
    {
        var size = limit ?? 20;
        if (size is < 1 or > 100)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["limit"] = ["Must be between 1 and 100."] });
        var query = db.Products.AsNoTracking();
        if (cursor is not null)
        {
            if (PageCursor.Decode(cursor) is not var (createdAt, id))
                return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["cursor"] = ["Not a cursor this service handed out."] });
            query = query.Where(p => p.CreatedAt < createdAt || (p.CreatedAt == createdAt && p.Id.CompareTo(id) < 0));
        }
        var page = await query.OrderByDescending(p => p.CreatedAt).ThenByDescending(p => p.Id).Take(size + 1).ToListAsync(ct);
        var next = page.Count > size ? PageCursor.Encode(page[size - 1].CreatedAt, page[size - 1].Id) : null;
        return TypedResults.Ok(new ProductPage(await products.ToDtosAsync(page.Take(size).ToList(), ct), next));
    }

    private static async Task<Results<Ok<ProductDto>, NotFound>> GetProduct(Guid id, ProductStore products, CancellationToken ct) =>
        await products.ReadAsync(id, ct) is { } product ? TypedResults.Ok(product) : TypedResults.NotFound();

    private static async Task<Results<Ok<ProductDto>, NotFound, ProblemHttpResult, ValidationProblem>> UpdateProduct(
        Guid id, UpdateProductRequest request, HttpContext http, ProductStore products, CancellationToken ct)
    {
        var change = await products.UpdateAsync(id, http.User.UserId(), request, ct);
        return change.Outcome switch
        {
            ProductStore.Outcome.Done => TypedResults.Ok(change.Product!),
            ProductStore.Outcome.NotFound => TypedResults.NotFound(),
            ProductStore.Outcome.Forbidden => NotYours(),
            _ => TypedResults.ValidationProblem(change.Errors!),
        };
    }

    private static async Task<Results<NoContent, NotFound, ProblemHttpResult>> DeleteProduct(
        Guid id, HttpContext http, ProductStore products, CancellationToken ct) =>
        await products.DeleteAsync(id, http.User.UserId(), ct) switch
        {
            ProductStore.Outcome.Done => TypedResults.NoContent(),
            ProductStore.Outcome.NotFound => TypedResults.NotFound(),
            _ => NotYours(),
        };

    internal static ProblemHttpResult NotYours() =>
        TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Not your product", detail: "Only the product's owner can change it.");
}

internal static class ProductsSetup
{
    public static WebApplicationBuilder AddProducts(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<ProductsOptions>().BindConfiguration(ProductsOptions.Section).ValidateOnStart();
        builder.Services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<ProductsOptions>, ValidateProductsOptions>();
        builder.Services.AddScoped<ProductStore>();
        return builder;
    }
}
