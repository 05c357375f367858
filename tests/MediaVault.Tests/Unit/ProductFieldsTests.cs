using System.Text.Json;
using MediaVault.Infrastructure;
using MediaVault.Products;

namespace MediaVault.Tests.Unit;

public sealed class ProductFieldsTests
{
    [Theory]
    [InlineData("12.50", "12.5")]
    [InlineData("12", "12")]
    [InlineData("0.10", "0.1")]
    [InlineData("1000000000", "1000000000")]
    public void APriceHasOneShapeWhateverItsTrailingZeros(string typed, string stored)
    {
        var fields = new ProductFields();
        Assert.Equal(stored, fields.Price(typed)?.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(fields.IsValid);
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("1.234")]
    [InlineData("1e3")]
    [InlineData("1,5")]
    [InlineData("NaN")]
    [InlineData("1000000000.01")]
    public void APriceThatIsNotAnAmountIsRefusedNamingTheField(string typed)
    {
        var fields = new ProductFields();
        fields.Price(typed);
        Assert.Equal(["price"], fields.Errors.Keys);
    }

    [Fact]
    public void NamesAreTrimmedAndRequiredAndImageListsAreCappedAndDistinct()
    {
        var fields = new ProductFields();
        Assert.Equal("Shoe", fields.Name("  Shoe "));
        fields.Name("   ");
        var id = Guid.NewGuid();
        fields.ImageIds([id, id]);
        fields.ImageIds(Enumerable.Range(0, 11).Select(_ => Guid.NewGuid()).ToArray());
        Assert.Equal(["imageIds", "name"], fields.Errors.Keys.Order());
        Assert.Contains(fields.Errors["imageIds"], m => m.Contains(id.ToString()));
        Assert.Contains(fields.Errors["imageIds"], m => m.Contains("at most 10"));
    }

    [Fact]
    public void APartialUpdateTellsALeftOutFieldFromANullOne()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        var request = JsonSerializer.Deserialize<UpdateProductRequest>("""{"description": null, "price": 3.5}""", options)!;
        Assert.False(request.Name.IsSet);
        Assert.True(request.Description.IsSet);
        Assert.Null(request.Description.Value);
        Assert.Equal(3.5m, request.Price.Value);
        Assert.False(request.ImageIds.IsSet);
        Assert.Equal("kept", request.Name.Or("kept"));
    }
}
