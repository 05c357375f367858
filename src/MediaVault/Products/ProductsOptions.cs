using MediaVault.Images;
using Microsoft.Extensions.Options;

namespace MediaVault.Products;

public sealed class ProductsOptions
{
    public const string Section = "Products";

    /// <summary>The collection product images live in (a Public one gives clean, cacheable URLs).</summary>
    public string Collection { get; set; } = MediaOptions.DefaultCollection;
}

internal sealed class ValidateProductsOptions(IOptions<MediaOptions> media) : IValidateOptions<ProductsOptions>
{
    public ValidateOptionsResult Validate(string? name, ProductsOptions options) =>
        MediaOptions.NamesIfValid(media) is not { } names || names.Contains(options.Collection)
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"Products:Collection '{options.Collection}' is not one of Media:Collections ({string.Join(", ", names)}).");
}
