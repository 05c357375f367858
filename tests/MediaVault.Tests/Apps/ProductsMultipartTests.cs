using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using MediaVault.Tests.Infrastructure;

namespace MediaVault.Tests.Apps;

/// <summary>POST /products as multipart/form-data: the record and its images in one request, all or nothing.</summary>
public abstract class ProductsMultipartTests(MediaVaultApplication app)
{
    private static readonly byte[] Text = Encoding.UTF8.GetBytes("just some notes, not a picture\n");

    [Fact]
    public async Task CreatesProductWithItsFilesInOrderReadableByteForByte()
    {
        using var user = await app.NewUserAsync();
        FilePart[] files =
        [
            new(TestImages.Jpeg(41, 20), "front.jpg", "image/jpeg"),
            new(TestImages.Png(42, 20), "side.png"),
            new(TestImages.WebP(43, 20), "back.webp", "image/webp"),
            new(TestImages.Gif(44, 20), "detail.gif", "application/octet-stream"),
        ];
        var response = await user.CreateProductMultipartAsync("Vase", files, "Blue glaze", "12.50");
        await response.ShouldBe(HttpStatusCode.Created);
        var product = (await response.Content.ReadFromJsonAsync<ProductDto>())!;
        Assert.EndsWith($"/products/{product.Id}", response.Headers.Location?.OriginalString);

        Assert.Equal(("Vase", "Blue glaze", (decimal?)12.5m), (product.Name, product.Description, product.Price));
        Assert.Equal(["front.jpg", "side.png", "back.webp", "detail.gif"], product.Images.Select(i => i.Filename));
        Assert.Equal([41, 42, 43, 44], product.Images.Select(i => i.Width));
        Assert.Equal(["image/jpeg", "image/png", "image/webp", "image/gif"], product.Images.Select(i => i.ContentType));
        Assert.All(product.Images, i => Assert.Equal("images", i.Collection));
        for (var i = 0; i < files.Length; i++)
            Assert.Equal(files[i].Content, await ApiExtensions.DownloadAsync(product.Images[i].Url));

        var read = await user.GetFromJsonOk<ProductDto>($"/products/{product.Id}");
        AppsApi.AssertSameProduct(product, read);
        // They are the caller's images like any other, each object recorded in storage.
        var mine = (await user.GetFromJsonOk<ImagePage>("/images")).Items.Select(i => i.Id).Order();
        Assert.Equal(product.Images.Select(i => i.Id).Order(), mine);
        Assert.Subset((await app.ObjectKeysAsync()).ToHashSet(), product.Images.Select(i => i.Key).ToHashSet());
    }

    [Fact]
    public async Task ZeroFilesMakeAProductWithoutImages()
    {
        using var user = await app.NewUserAsync();
        var response = await user.CreateProductMultipartAsync("Bare", []);
        await response.ShouldBe(HttpStatusCode.Created);
        var product = (await response.Content.ReadFromJsonAsync<ProductDto>())!;
        Assert.Equal(("Bare", (string?)null, (decimal?)null), (product.Name, product.Description, product.Price));
        Assert.Empty(product.Images);
    }

    public static TheoryData<string, int, HttpStatusCode> BadFiles => new()
    {
        { "text named .png", 0, HttpStatusCode.UnsupportedMediaType },
        { "text named .png", 2, HttpStatusCode.UnsupportedMediaType },
        { "png declared jpeg", 1, HttpStatusCode.UnprocessableEntity },
        { "over 5 MiB", 2, HttpStatusCode.RequestEntityTooLarge },
        { "empty", 1, HttpStatusCode.BadRequest },
        { "pixel bomb", 2, HttpStatusCode.UnprocessableEntity },
    };

    [Theory]
    [MemberData(nameof(BadFiles))]
    public async Task OneBadFileRefusesTheWholeRequestAndLeavesNothing(string bad, int position, HttpStatusCode status)
    {
        using var user = await app.NewUserAsync();
        var keys = await app.ObjectKeysAsync();
        var products = await ProductIdsAsync(user);
        var files = Enumerable.Range(0, 3).Select(i => new FilePart(TestImages.Png(50 + i, 20), $"ok{i}.png")).ToList();
        files[position] = bad switch
        {
            "text named .png" => new(Text, "notes.png"),
            "png declared jpeg" => new(TestImages.Png(), "fake.jpg", "image/jpeg"),
            "over 5 MiB" => new(TestImages.PaddedPng(5 * 1024 * 1024 + 1), "huge.png"),
            "empty" => new([], "empty.png"),
            _ => new(TestImages.PngHeaderOnly(50_000, 50_000), "bomb.png"),
        };

        await (await user.CreateProductMultipartAsync("Refused", files)).ShouldBeProblem(status);

        Assert.Empty((await user.GetFromJsonOk<ImagePage>("/images")).Items);
        Assert.Equal(keys, await app.ObjectKeysAsync());
        Assert.Equal(products, await ProductIdsAsync(user));
    }

    [Fact]
    public async Task ElevenFilesAreRefusedAndLeaveNothing()
    {
        using var user = await app.NewUserAsync();
        var keys = await app.ObjectKeysAsync();
        var products = await ProductIdsAsync(user);
        var files = Enumerable.Range(0, 11).Select(i => new FilePart(TestImages.Png(10 + i, 10), $"{i}.png"));

        await (await user.CreateProductMultipartAsync("Eleven", files)).ShouldBeProblem(HttpStatusCode.BadRequest);

        Assert.Empty((await user.GetFromJsonOk<ImagePage>("/images")).Items);
        Assert.Equal(keys, await app.ObjectKeysAsync());
        Assert.Equal(products, await ProductIdsAsync(user));
        var ten = await user.CreateProductMultipartAsync("Ten", files.Take(10));
        await ten.ShouldBe(HttpStatusCode.Created);
    }

    [Theory]
    [InlineData(null, null, "name")]
    [InlineData("   ", null, "name")]
    [InlineData("ok", "-1", "price")]
    [InlineData("ok", "NaN", "price")]
    [InlineData("ok", "Infinity", "price")]
    [InlineData("ok", "1.234", "price")]
    [InlineData("ok", "1e10", "price")]
    [InlineData("ok", "12,50", "price")]
    [InlineData("ok", "twelve", "price")]
    public async Task BadFieldsRefuseTheRequestAndKeepNoFile(string? name, string? price, string field)
    {
        using var user = await app.NewUserAsync();
        var keys = await app.ObjectKeysAsync();
        var response = await user.CreateProductMultipartAsync(name, [new(TestImages.Png())], price: price);
        await response.ShouldBeValidationProblem(field);
        Assert.Empty((await user.GetFromJsonOk<ImagePage>("/images")).Items);
        Assert.Equal(keys, await app.ObjectKeysAsync());
    }

    [Fact]
    public async Task TruncatedMultipartIs400AndLeavesNothing()
    {
        using var user = await app.NewUserAsync();
        var keys = await app.ObjectKeysAsync();
        var products = await ProductIdsAsync(user);
        // One whole file, then the second cut off before its closing boundary.
        var body = Encoding.ASCII.GetBytes("--b\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\nCut\r\n"
                                           + "--b\r\nContent-Disposition: form-data; name=\"images\"; filename=\"a.png\"\r\nContent-Type: image/png\r\n\r\n")
            .Concat(TestImages.Png())
            .Concat(Encoding.ASCII.GetBytes("\r\n--b\r\nContent-Disposition: form-data; name=\"images\"; filename=\"b.png\"\r\nContent-Type: image/png\r\n\r\n"))
            .Concat(TestImages.Png()).ToArray();
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse("multipart/form-data; boundary=b");

        await (await user.PostAsync("/products", content)).ShouldBeProblem(HttpStatusCode.BadRequest);

        Assert.Empty((await user.GetFromJsonOk<ImagePage>("/images")).Items);
        Assert.Equal(keys, await app.ObjectKeysAsync());
        Assert.Equal(products, await ProductIdsAsync(user));
    }

    [Theory]
    [InlineData("multipart/form-data")]
    [InlineData("multipart/form-data; boundary=")]
    [InlineData("multipart/mixed; boundary=b")]
    public async Task MultipartWithoutAUsableBoundaryIsRefused(string contentType)
    {
        using var user = await app.NewUserAsync();
        var content = new ByteArrayContent(Encoding.ASCII.GetBytes("--b\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\nX\r\n--b--\r\n"));
        content.Headers.TryAddWithoutValidation("Content-Type", contentType); // as sent, even where .NET would not parse it
        var response = await user.PostAsync("/products", content);
        Assert.True(response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.UnsupportedMediaType,
            $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task FilesInAnotherFieldAreNotTakenAsImages()
    {
        using var user = await app.NewUserAsync();
        var keys = await app.ObjectKeysAsync();
        using var form = AppsApi.ProductForm("Odd", []);
        form.Add(new ByteArrayContent(TestImages.Png()) { Headers = { ContentType = new("image/png") } }, "file", "a.png");
        var response = await user.PostAsync("/products", form);
        if (response.StatusCode == HttpStatusCode.Created)
            Assert.Empty((await response.Content.ReadFromJsonAsync<ProductDto>())!.Images);
        else
            await response.ShouldBeProblem(HttpStatusCode.BadRequest);
        Assert.Empty((await user.GetFromJsonOk<ImagePage>("/images")).Items);
        Assert.Equal(keys, await app.ObjectKeysAsync());
    }

    private static async Task<List<Guid>> ProductIdsAsync(HttpClient user) => (await user.AllProductsAsync()).Select(p => p.Id).ToList();
}

public sealed class LocalProductsMultipartTests(LocalApp app) : ProductsMultipartTests(app), IClassFixture<LocalApp>;

public sealed class S3ProductsMultipartTests(S3App app) : ProductsMultipartTests(app), IClassFixture<S3App>;
