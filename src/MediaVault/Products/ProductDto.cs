using MediaVault.Images;

namespace MediaVault.Products;

public sealed record ProductDto(
    Guid Id, string OwnerId, string Name, string? Description, decimal? Price, IReadOnlyList<ImageDto> Images,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

public sealed record ProductPage(IReadOnlyList<ProductDto> Items, string? NextCursor);

public sealed record CreateProductRequest(string? Name, string? Description = null, decimal? Price = null, Guid[]? ImageIds = null);

/// <summary>A partial update: a field left out stays as it is; description or price null clears it.</summary>
public sealed class UpdateProductRequest
{
    public Infrastructure.Optional<string> Name { get; init; }
    public Infrastructure.Optional<string> Description { get; init; }
    public Infrastructure.Optional<decimal?> Price { get; init; }
    public Infrastructure.Optional<Guid[]> ImageIds { get; init; }
}
