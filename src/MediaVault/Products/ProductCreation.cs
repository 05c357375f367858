using System.Text.Json;
using MediaVault.Auth;
using MediaVault.Images;
using MediaVault.Uploads;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace MediaVault.Products;

/// <summary>POST /products: JSON naming images uploaded before, or one multipart request carrying the
/// fields and the files (seeds 000/003's "record and image in one request"). The files go through the
/// same pipeline as POST /images/upload, one after the other, each streamed; the images are pending
/// until the product takes them, so a refused request (or a process that dies) leaves none behind.</summary>
internal static class ProductCreation
{
    public const int MaxJsonBytes = 64 * 1024;
    private const int MaxTextFieldBytes = 4 * Product.MaxDescription; // UTF-8: at most 4 bytes a character
    private const int MaxParts = 50;
    private const int MaxTextBytes = 3 * MaxTextFieldBytes; // name, description and price at their longest
    private static readonly TimeSpan PendingFor = TimeSpan.FromHours(1);

    public static async Task<Results<Created<ProductDto>, ProblemHttpResult, ValidationProblem>> CreateProduct(
        HttpContext http, ProductStore products, ImageIngest ingest, ImageRemoval removal, IOptions<MediaOptions> media,
        TimeProvider time, CancellationToken ct)
    {
        if (http.Request.HasJsonContentType()) return await FromJsonAsync(http, products, ct);
        if (http.Request.HasFormContentType && http.Request.ContentType!.StartsWith("multipart/", StringComparison.OrdinalIgnoreCase))
            return await FromFormAsync(http, products, ingest, removal, media.Value, time, ct);
        return TypedResults.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported content type",
            detail: "Send application/json with imageIds, or multipart/form-data with the fields and the files in 'images'.");
    }

    private static async Task<Results<Created<ProductDto>, ProblemHttpResult, ValidationProblem>> FromJsonAsync(
        HttpContext http, ProductStore products, CancellationToken ct)
    {
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit) limit.MaxRequestBodySize = MaxJsonBytes;
        CreateProductRequest? request;
        try { request = await http.Request.ReadFromJsonAsync<CreateProductRequest>(ct); }
        catch (JsonException e)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Malformed JSON",
                detail: e.Path is { } path ? $"The body is not valid JSON for a product (at {path})." : "The body is not valid JSON for a product.");
        }
        if (request is null)
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Malformed JSON", detail: "Send a product object.");
        var fields = new ProductFields();
        var (name, description, price, ids) = (fields.Name(request.Name), fields.Description(request.Description), fields.Price(request.Price), fields.ImageIds(request.ImageIds));
        if (!fields.IsValid) return TypedResults.ValidationProblem(fields.Errors);
        return Answer(await products.CreateAsync(http.User.UserId(), name!, description, price, ids, ct));
    }

    private static async Task<Results<Created<ProductDto>, ProblemHttpResult, ValidationProblem>> FromFormAsync(
        HttpContext http, ProductStore products, ImageIngest ingest, ImageRemoval removal, MediaOptions media, TimeProvider time, CancellationToken ct)
    {
        var collection = media.Find(products.Collection)!;
        var (reader, refused) = MultipartForm.Open(http, Product.MaxImages * collection.MaxBytes + MultipartForm.Overhead, "images",
            maxParts: MaxParts, maxTextBytes: MaxTextBytes);
        if (refused is not null) return refused;

        var owner = http.User.UserId();
        var pendingUntil = time.GetUtcNow().UtcDateTime + PendingFor;
        var images = new List<Image>();
        var text = new Dictionary<string, string>(StringComparer.Ordinal);
        try
        {
            while (await MultipartForm.NextAsync(reader!, ct) is { } part)
            {
                if (part.Name == "images")
                {
                    if (part.FileName == "") continue; // a browser's file input with nothing chosen
                    if (images.Count == Product.MaxImages)
                        return await DiscardAsync(removal, images, TypedResults.ValidationProblem(new Dictionary<string, string[]>
                        {
                            ["images"] = [$"A product has at most {Product.MaxImages} images."],
                        }));
                    var outcome = await ingest.IngestStreamAsync(owner, products.Collection, collection, part.FileName, part.ContentType, part.Body,
                        _ => Task.FromResult<Rejection?>(null), ct, pendingUntil);
                    if (outcome.Rejection is { } r)
                        return await DiscardAsync(removal, images, TypedResults.Problem(statusCode: r.Status, title: r.Title,
                            detail: $"{part.FileName ?? "A file"}: {r.Detail}"));
                    images.Add(outcome.Image!);
                    continue;
                }
                var value = await MultipartForm.ReadFieldAsync(part, ct, MaxTextFieldBytes);
                if (value is null) return await DiscardAsync(removal, images, MultipartForm.Malformed($"Form field '{part.Name}' is longer than {MaxTextFieldBytes} bytes."));
                if (part.Name is "name" or "description" or "price" && !text.TryAdd(part.Name, value))
                    return await DiscardAsync(removal, images, MultipartForm.Malformed($"Form field '{part.Name}' is given more than once."));
            }
        }
        catch (Exception e) when (e is MalformedBodyException or InvalidDataException or FormLimitException)
        {
            return await DiscardAsync(removal, images, MultipartForm.Refused(e));
        }
        catch
        {
            await removal.DiscardAsync(images);
            throw;
        }

        var fields = new ProductFields();
        var name = fields.Name(text.GetValueOrDefault("name"));
        var description = fields.Description(text.GetValueOrDefault("description"));
        var price = fields.Price(text.GetValueOrDefault("price"));
        if (!fields.IsValid) return await DiscardAsync(removal, images, TypedResults.ValidationProblem(fields.Errors));
        ProductStore.Change change;
        try { change = await products.CreateAsync(owner, name!, description, price, images.Select(i => i.Id).ToArray(), ct); }
        catch
        {
            await removal.DiscardAsync(images);
            throw;
        }
        if (change.Outcome != ProductStore.Outcome.Done) await removal.DiscardAsync(images);
        return Answer(change);
    }

    private static Results<Created<ProductDto>, ProblemHttpResult, ValidationProblem> Answer(ProductStore.Change change) =>
        change.Outcome == ProductStore.Outcome.Done
            ? TypedResults.Created($"/products/{change.Product!.Id}", change.Product)
            : TypedResults.ValidationProblem(change.Errors!);

    private static async Task<Results<Created<ProductDto>, ProblemHttpResult, ValidationProblem>> DiscardAsync(
        ImageRemoval removal, List<Image> images, Results<Created<ProductDto>, ProblemHttpResult, ValidationProblem> answer)
    {
        await removal.DiscardAsync(images);
        return answer;
    }
}
