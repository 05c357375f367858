using System.Globalization;

namespace MediaVault.Products;

/// <summary>The rules a product's fields follow, whether they came as JSON or as form fields.</summary>
internal sealed class ProductFields
{
    public const decimal MaxPrice = 1_000_000_000m;

    private readonly Dictionary<string, string[]> _errors = new(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, string[]> Errors => _errors;
    public bool IsValid => _errors.Count == 0;

    public string? Name(string? value)
    {
        var name = value?.Trim();
        if (string.IsNullOrEmpty(name)) Fail("name", "A product needs a name.");
        else if (name.Length > Product.MaxName) Fail("name", $"At most {Product.MaxName} characters.");
        else if (HasControlCharacters(name, newlines: false)) Fail("name", "No control characters (line breaks, NUL, ...).");
        return name;
    }

    public string? Description(string? value)
    {
        var text = value?.Trim();
        if (text?.Length > Product.MaxDescription) Fail("description", $"At most {Product.MaxDescription} characters.");
        else if (text is not null && HasControlCharacters(text, newlines: true)) Fail("description", "No control characters but line breaks and tabs.");
        return string.IsNullOrEmpty(text) ? null : text;
    }

    public decimal? Price(decimal? value)
    {
        if (value is not { } price) return null;
        if (price < 0 || price > MaxPrice) Fail("price", $"Must be between 0 and {MaxPrice:0}.");
        else if (decimal.Round(price, 2) != price) Fail("price", "At most two decimal places.");
        // One shape on every database: 12.50 and 12.5 are the same price.
        return price / 1.0000000000000000000000000000m;
    }

    /// <summary>A price typed into a form: digits with an optional decimal point, or empty for none.</summary>
    public decimal? Price(string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        if (decimal.TryParse(value.Trim(), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var price)) return Price(price);
        Fail("price", "Must be a number like 12.50.");
        return null;
    }

    public Guid[] ImageIds(Guid[]? value)
    {
        var ids = value ?? [];
        if (ids.Length > Product.MaxImages) Fail("imageIds", $"A product has at most {Product.MaxImages} images; {ids.Length} were given.");
        foreach (var id in ids.GroupBy(i => i).Where(g => g.Count() > 1).Select(g => g.Key))
            Fail("imageIds", $"Image {id} is listed more than once.");
        return ids;
    }

    /// <summary>Text a person typed has no C0 controls (NUL among them, which PostgreSQL cannot store), but may break lines.</summary>
    public static bool HasControlCharacters(string text, bool newlines) =>
        text.Any(c => char.IsControl(c) && !(newlines && c is '\n' or '\r' or '\t'));

    public void Fail(string field, string message) =>
        _errors[field] = _errors.TryGetValue(field, out var existing) ? [.. existing, message] : [message];
}
