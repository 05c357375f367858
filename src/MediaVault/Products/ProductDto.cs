using MediaVault.Images;

namespace MediaVault.Products;

public sealed record ProductDto(
    Guid Id, string OwnerId, string Name, string? Description, decimal? Price, IReadOnlyList<ImageDto> Images,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

public sealed record ProductPage(IReadOnlyList<ProductDto> Items, string? NextCursor);

public sealed record CreateProductRequest(string? Name, string? Description = null, decimal? Price = null, Guid[]? ImageIds = null);

public sealed record UpdateProductRequest(
    Infrastructure.Optional<string> Name = default, Infrastructure.Optional<string> Description = default,
    Infrastructure.Optional<decimal?> Price = default, Infrastructure.Optional<Guid[]> ImageIds = default);
