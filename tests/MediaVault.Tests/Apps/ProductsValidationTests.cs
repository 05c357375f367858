using System.Net;
using System.Net.Http.Json;
using System.Text;
using MediaVault.Tests.Infrastructure;

namespace MediaVault.Tests.Apps;

/// <summary>What POST /products and PATCH /products/{id} refuse in their JSON, and that a refusal creates or changes nothing.</summary>
public abstract class ProductsValidationTests(MediaVaultApplication app)
{
    public static TheoryData<string, string> BadFields => new()
    {
        { """{}""", "name" },
        { """{"name":null}""", "name" },
        { """{"name":""}""", "name" },
        { """{"name":"   \t "}""", "name" },
        { $$"""{"name":"{{new string('n', 201)}}"}""", "name" },
        { $$"""{"name":"ok","description":"{{new string('d', 4001)}}"}""", "description" },
        { """{"name":"ok","price":-0.01}""", "price" },
        { """{"name":"ok","price":-1}""", "price" },
        { """{"name":"ok","price":0.001}""", "price" },
        { """{"name":"ok","price":1000000000.01}""", "price" },
    };

    [Theory]
    [MemberData(nameof(BadFields))]
    public async Task CreateRefusesBadFieldsNamingThem(string json, string field)
    {
        using var user = await app.NewUserAsync();
        var before = await ProductIdsAsync(user);
        await (await user.PostAsync("/products", AppsApi.Json(json))).ShouldBeValidationProblem(field);
        Assert.Equal(before, await ProductIdsAsync(user));
    }

    [Theory]
    [MemberData(nameof(BadFields))]
    public async Task PatchRefusesBadFieldsAndChangesNothing(string json, string field)
    {
        if (json == "{}") return; // an empty PATCH changes nothing and is fine
        using var user = await app.NewUserAsync();
        var product = await user.CreateProductOkAsync("Kept", description: "as it was", price: 5m);
        await (await user.PatchAsync($"/products/{product.Id}", AppsApi.Json(json))).ShouldBeValidationProblem(field);
        AppsApi.AssertSameProduct(product, await user.GetFromJsonOk<ProductDto>($"/products/{product.Id}"));
    }

    [Theory]
    [InlineData("""{"name":"ok","price":"NaN"}""")]
    [InlineData("""{"name":"ok","price":"Infinity"}""")]
    [InlineData("""{"name":"ok","price":"-Infinity"}""")]
    [InlineData("""{"name":"ok","price":NaN}""")]
    [InlineData("""{"name":"ok","price":1e300}""")]
    [InlineData("""{"name":"ok","price":"twelve"}""")]
    [InlineData("""{"name":"ok","imageIds":["not-a-guid"]}""")]
    [InlineData("""{"name":"ok","imageIds":"3f2504e0-4f89-11d3-9a0c-0305e82c3301"}""")]
    [InlineData("""{"name":"ok","imageIds":[null]}""")]
    [InlineData("""{"name":"ok",""")]
    [InlineData("""["name","ok"]""")]
    [InlineData("")]
    public async Task JsonThatIsNotAProductIs400AndCreatesOrChangesNothing(string json)
    {
        using var user = await app.NewUserAsync();
        var product = await user.CreateProductOkAsync("Kept", price: 1m);
        var before = await ProductIdsAsync(user);
        await (await user.PostAsync("/products", AppsApi.Json(json))).ShouldBeProblem(HttpStatusCode.BadRequest);
        Assert.Equal(before, await ProductIdsAsync(user));
        await (await user.PatchAsync($"/products/{product.Id}", AppsApi.Json(json.Replace("\"name\":\"ok\",", "")))).ShouldBeProblem(HttpStatusCode.BadRequest);
        AppsApi.AssertSameProduct(product, await user.GetFromJsonOk<ProductDto>($"/products/{product.Id}"));
    }

    [Fact]
    public async Task EdgesOfTheRulesAreAccepted()
    {
        using var user = await app.NewUserAsync();
        var product = await user.CreateProductOkAsync(new string('n', 200), description: new string('d', 4000), price: 1_000_000_000m);
        Assert.Equal((200, 4000, (decimal?)1_000_000_000m), (product.Name.Length, product.Description!.Length, product.Price));
        Assert.Equal(0m, (await user.CreateProductOkAsync("Free", price: 0m)).Price);
        Assert.Equal(0.1m, (await user.CreateProductOkAsync("Dime", price: 0.10m)).Price);
    }

    [Fact]
    public async Task HugeFieldsAreRefusedWithoutCreatingAnything()
    {
        using var user = await app.NewUserAsync();
        var before = await ProductIdsAsync(user);
        var megabyte = new string('x', 1024 * 1024);
        foreach (var json in new[]
                 {
                     $$"""{"name":"{{megabyte}}"}""",
                     $$"""{"name":"ok","description":"{{megabyte}}"}""",
                     $$"""{"name":"ok","imageIds":{{AppsApi.Ids(Enumerable.Range(0, 20_000).Select(_ => Guid.NewGuid()))}}}""",
                     $$"""{"name":"ok","price":1{{new string('0', 100_000)}}}""",
                 })
        {
            // Expect: 100-continue, so that a server refusing on Content-Length alone answers before the body is sent.
            var response = await user.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/products")
                { Content = AppsApi.Json(json), Headers = { ExpectContinue = true } });
            Assert.True(response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.RequestEntityTooLarge,
                $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
        Assert.Equal(before, await ProductIdsAsync(user));
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/xml")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData(null)]
    public async Task CreateWithAnotherContentTypeIs415(string? contentType)
    {
        using var user = await app.NewUserAsync();
        var before = await ProductIdsAsync(user);
        var body = new ByteArrayContent(Encoding.UTF8.GetBytes(contentType == "application/x-www-form-urlencoded" ? "name=ok" : """{"name":"ok"}"""));
        if (contentType is not null) body.Headers.ContentType = new(contentType);
        await (await user.PostAsync("/products", body)).ShouldBeProblem(HttpStatusCode.UnsupportedMediaType);
        Assert.Equal(before, await ProductIdsAsync(user));
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("multipart/form-data; boundary=b")]
    public async Task PatchWithAnotherContentTypeIs415AndChangesNothing(string contentType)
    {
        using var user = await app.NewUserAsync();
        var product = await user.CreateProductOkAsync("Kept");
        var body = new ByteArrayContent(Encoding.UTF8.GetBytes("--b\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\nChanged\r\n--b--\r\n"));
        body.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(contentType);
        await (await user.PatchAsync($"/products/{product.Id}", body)).ShouldBeProblem(HttpStatusCode.UnsupportedMediaType);
        Assert.Equal("Kept", (await user.GetFromJsonOk<ProductDto>($"/products/{product.Id}")).Name);
    }

    [Fact]
    public async Task TwoDecimalPricesKeepTheirValueExactly()
    {
        using var user = await app.NewUserAsync();
        var response = await user.PostAsync("/products", AppsApi.Json("""{"name":"Exact","price":999999999.99}"""));
        await response.ShouldBe(HttpStatusCode.Created);
        var product = (await response.Content.ReadFromJsonAsync<ProductDto>())!;
        Assert.Equal(999999999.99m, product.Price);
        Assert.Equal(999999999.99m, (await user.GetFromJsonOk<ProductDto>($"/products/{product.Id}")).Price);
    }

    private static async Task<List<Guid>> ProductIdsAsync(HttpClient user) => (await user.AllProductsAsync()).Select(p => p.Id).ToList();
}

public sealed class LocalProductsValidationTests(LocalApp app) : ProductsValidationTests(app), IClassFixture<LocalApp>;

public sealed class S3ProductsValidationTests(S3App app) : ProductsValidationTests(app), IClassFixture<S3App>;
