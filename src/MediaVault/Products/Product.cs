namespace MediaVault.Products;

/// <summary>A record that carries up to <see cref="MaxImages"/> images of its owner, in order. The images
/// point at it (<see cref="Images.Image.ProductId"/>, <see cref="Images.Image.Position"/>): an image is on
/// one product at most, and deleting the image anywhere takes it off.</summary>
public sealed class Product
{
    public const int MaxImages = 10;
    public const int MaxName = 200;
    public const int MaxDescription = 4000;

    public Guid Id { get; set; }
    public required string OwnerId { get; set; }
    public required string Name { get; set; }
    public string? Description { get; set; }
    public decimal? Price { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}
