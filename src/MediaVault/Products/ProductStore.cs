using MediaVault.Data;
using MediaVault.Images;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace MediaVault.Products;

/// <summary>Products and the ordered images on them. Every change runs in one transaction that first
/// locks the product's row, so concurrent edits of one product apply one after the other, and an image
/// is taken only while it is free: it ends up on one product at most.</summary>
public sealed class ProductStore(MediaVaultDb db, ImageUrls urls, ImageRemoval removal, IOptions<ProductsOptions> options, TimeProvider time)
{
    public enum Outcome { Done, NotFound, Forbidden, Invalid }

    public sealed record Change(Outcome Outcome, ProductDto? Product = null, IReadOnlyDictionary<string, string[]>? Errors = null);

    public string Collection => options.Value.Collection;

    public async Task<Change> CreateAsync(string ownerId, string name, string? description, decimal? price, Guid[] imageIds, CancellationToken ct)
    {
        var now = Image.Timestamp(time.GetUtcNow());
        var product = new Product
        {
            Id = Guid.CreateVersion7(time.GetUtcNow()), OwnerId = ownerId, Name = name, Description = description, Price = price,
            CreatedAt = now, UpdatedAt = now,
        };
        var (errors, _) = await db.InTransactionAsync<(IReadOnlyDictionary<string, string[]>?, List<Image>)>(async token =>
        {
            db.Products.Add(product);
            await db.SaveChangesAsync(token);
            var result = await SetImagesAsync(product, imageIds, token);
            return (result, result.Errors is null);
        }, ct);
        return errors is not null ? new Change(Outcome.Invalid, Errors: errors) : new Change(Outcome.Done, await ReadAsync(product.Id, ct));
    }

    public async Task<Change> UpdateAsync(Guid id, string userId, UpdateProductRequest request, CancellationToken ct)
    {
        var fields = new ProductFields();
        var name = request.Name.IsSet ? fields.Name(request.Name.Value) : null;
        var description = fields.Description(request.Description.Value);
        var price = fields.Price(request.Price.Value);
        var imageIds = request.ImageIds.IsSet ? fields.ImageIds(request.ImageIds.Value) : null;
        if (request.ImageIds is { IsSet: true, Value: null }) fields.Fail("imageIds", "Give the list of image ids ([] for none).");
        if (!fields.IsValid) return new Change(Outcome.Invalid, Errors: fields.Errors);

        var (outcome, errors, removed) = await db.InTransactionAsync<(Outcome, IReadOnlyDictionary<string, string[]>?, List<Image>)>(async token =>
        {
            var now = Image.Timestamp(time.GetUtcNow());
            // The owner's row lock: concurrent edits of this product wait here.
            var locked = await db.Products.Where(p => p.Id == id && p.OwnerId == userId)
                .ExecuteUpdateAsync(s => s.SetProperty(p => p.UpdatedAt, now), token);
            if (locked == 0)
                return ((await db.Products.AnyAsync(p => p.Id == id, token) ? Outcome.Forbidden : Outcome.NotFound, null, []), false);
            var product = await db.Products.SingleAsync(p => p.Id == id, token);
            product.Name = request.Name.IsSet ? name! : product.Name;
            product.Description = request.Description.IsSet ? description : product.Description;
            product.Price = request.Price.IsSet ? price : product.Price;
            await db.SaveChangesAsync(token);
            if (imageIds is null) return ((Outcome.Done, null, []), true);
            var (invalid, off) = await SetImagesAsync(product, imageIds, token);
            return invalid is null ? ((Outcome.Done, null, off), true) : ((Outcome.Invalid, invalid, []), false);
        }, ct);
        if (outcome != Outcome.Done) return new Change(outcome, Errors: errors);
        // Images taken off the product are deleted with their objects, once the change has committed.
        await removal.DeleteObjectsAsync(removed);
        return new Change(Outcome.Done, await ReadAsync(id, ct));
    }

    public async Task<Outcome> DeleteAsync(Guid id, string userId, CancellationToken ct)
    {
        var (outcome, removed) = await db.InTransactionAsync<(Outcome, List<Image>)>(async token =>
        {
            var locked = await db.Products.Where(p => p.Id == id && p.OwnerId == userId)
                .ExecuteUpdateAsync(s => s.SetProperty(p => p.UpdatedAt, p => p.UpdatedAt), token);
            if (locked == 0)
                return ((await db.Products.AnyAsync(p => p.Id == id, token) ? Outcome.Forbidden : Outcome.NotFound, []), false);
            var images = await db.Images.AsNoTracking().Where(i => i.ProductId == id).ToListAsync(token);
            await db.Images.Where(i => i.ProductId == id).ExecuteDeleteAsync(token);
            await db.Products.Where(p => p.Id == id).ExecuteDeleteAsync(token);
            return ((Outcome.Done, images), true);
        }, ct);
        await removal.DeleteObjectsAsync(removed);
        return outcome;
    }

    /// <summary>Makes <paramref name="ids"/>, in this order, the images of the product (inside the caller's
    /// transaction). Returns the errors naming each id that cannot be taken, or the images it took off.</summary>
    private async Task<(IReadOnlyDictionary<string, string[]>? Errors, List<Image> Removed)> SetImagesAsync(Product product, Guid[] ids, CancellationToken ct)
    {
        var fields = new ProductFields();
        var found = await db.Images.AsNoTracking().Where(i => ids.Contains(i.Id) && i.OwnerId == product.OwnerId).ToDictionaryAsync(i => i.Id, ct);
        foreach (var id in ids)
        {
            if (!found.TryGetValue(id, out var image)) fields.Fail("imageIds", $"Image {id} is not one of your images.");
            else if (image.Collection != Collection) fields.Fail("imageIds", $"Image {id} is in collection '{image.Collection}'; product images go in '{Collection}'.");
            else if (image.ProductId is { } other && other != product.Id) fields.Fail("imageIds", $"Image {id} is already on another product.");
        }
        if (!fields.IsValid) return (fields.Errors, []);

        var removed = await db.Images.AsNoTracking().Where(i => i.ProductId == product.Id && !ids.Contains(i.Id)).ToListAsync(ct);
        await db.Images.Where(i => i.ProductId == product.Id && !ids.Contains(i.Id)).ExecuteDeleteAsync(ct);
        var collection = Collection;
        for (var position = 0; position < ids.Length; position++)
        {
            var id = ids[position];
            var at = position;
            // Taken only while free: a concurrent request that put it on another product wins, and this one is refused.
            var taken = await db.Images
                .Where(i => i.Id == id && i.OwnerId == product.OwnerId && i.Collection == collection && (i.ProductId == null || i.ProductId == product.Id))
                .ExecuteUpdateAsync(s => s.SetProperty(i => i.ProductId, product.Id).SetProperty(i => i.Position, at)
                    .SetProperty(i => i.PendingUntil, (DateTime?)null), ct);
            if (taken == 0) fields.Fail("imageIds", $"Image {id} is already on another product.");
        }
        return (fields.IsValid ? null : fields.Errors, removed);
    }

    public async Task<ProductDto?> ReadAsync(Guid id, CancellationToken ct)
    {
        var product = await db.Products.AsNoTracking().SingleOrDefaultAsync(p => p.Id == id, ct);
        return product is null ? null : (await ToDtosAsync([product], ct))[0];
    }

    /// <summary>Products with their images in order, each with a fresh URL, in two queries whatever the count.</summary>
    public async Task<List<ProductDto>> ToDtosAsync(IReadOnlyList<Product> products, CancellationToken ct)
    {
        var ids = products.Select(p => p.Id).ToList();
        var images = (await db.Images.AsNoTracking().Where(i => i.ProductId != null && ids.Contains(i.ProductId.Value)).ToListAsync(ct))
            .ToLookup(i => i.ProductId!.Value);
        return products.Select(p => new ProductDto(p.Id, p.OwnerId, p.Name, p.Description, p.Price,
            images[p.Id].OrderBy(i => i.Position).Select(urls.ToDto).ToList(), Utc(p.CreatedAt), Utc(p.UpdatedAt))).ToList();
    }

    private static DateTimeOffset Utc(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));
}
