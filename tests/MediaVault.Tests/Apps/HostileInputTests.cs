using System.Net;
using System.Net.Http.Headers;
using System.Text;
using MediaVault.Tests.Infrastructure;

namespace MediaVault.Tests.Apps;

/// <summary>Input a careless or hostile client sends: never a 5xx, never a half-made product, never data lost by accident.</summary>
public abstract class HostileInputTests(MediaVaultApplication app)
{
    // JSON may carry U+0000; PostgreSQL text cannot. Either refuse it or keep it, on both databases alike.
    [Theory]
    [InlineData("POST", "/products", """{"name":"nul\u0000name"}""")]
    [InlineData("POST", "/products", """{"name":"ok","description":"nul\u0000description"}""")]
    [InlineData("PATCH", "/products/{id}", """{"name":"nul\u0000name"}""")]
    [InlineData("PATCH", "/products/{id}", """{"description":"nul\u0000description"}""")]
    [InlineData("PUT", "/profile", """{"displayName":"nul\u0000name"}""")]
    [InlineData("PUT", "/profile", """{"pictureKey":"avatars/\u0000.png"}""")]
    public async Task NulCharactersInTextAreRefusedOrKeptNeverAServerError(string method, string path, string json)
    {
        using var user = await app.NewUserAsync();
        var product = await user.CreateProductOkAsync("Before");
        var response = await user.SendAsync(new HttpRequestMessage(new HttpMethod(method), path.Replace("{id}", product.Id.ToString())) { Content = AppsApi.Json(json) });
        Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.Created or HttpStatusCode.BadRequest,
            $"{method} {path} {json}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        if (response.IsSuccessStatusCode && method != "PUT")
        {
            var saved = (await System.Net.Http.Json.HttpContentJsonExtensions.ReadFromJsonAsync<ProductDto>(response.Content))!;
            AppsApi.AssertSameProduct(saved, await user.GetFromJsonOk<ProductDto>($"/products/{saved.Id}")); // kept as answered
        }
    }

    [Theory]
    [InlineData("/community?cursor={0}", "k.\u0000")]
    [InlineData("/community?cursor={0}", "k.\uFFFF\uD7FF")]
    [InlineData("/products?cursor={0}", "1.\u0000")]
    public async Task CraftedCursorsAre400OrAPageNeverAServerError(string path, string cursorText)
    {
        using var user = await app.NewUserAsync();
        var cursor = System.Buffers.Text.Base64Url.EncodeToString(Encoding.UTF8.GetBytes(cursorText));
        var response = await user.GetAsync(string.Format(path, cursor));
        Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.BadRequest, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    [Fact]
    public async Task MultipartNameWithANulCharacterLeavesNothingBehind()
    {
        using var user = await app.NewUserAsync();
        var keys = await app.ObjectKeysAsync();
        var response = await user.CreateProductMultipartAsync("nul\0name", [new(TestImages.Png())]);
        if (response.StatusCode != HttpStatusCode.Created)
        {
            Assert.Empty((await user.GetFromJsonOk<ImagePage>("/images")).Items);
            Assert.Equal(keys, await app.ObjectKeysAsync());
        }
        Assert.True(response.StatusCode is HttpStatusCode.Created or HttpStatusCode.BadRequest, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    [Theory]
    [InlineData("description", 4001)]
    [InlineData("description", 100_000)]
    [InlineData("name", 100_000)]
    [InlineData("price", 100_000)]
    public async Task OverlongMultipartFieldsAreRefusedAndLeaveNothing(string field, int length)
    {
        using var user = await app.NewUserAsync();
        var keys = await app.ObjectKeysAsync();
        var text = field == "price" ? new string('9', length) : new string('x', length);
        using var form = new MultipartFormDataContent { { new StringContent(field == "name" ? text : "Named"), "name" } };
        if (field != "name") form.Add(new StringContent(text), field);
        form.Add(new ByteArrayContent(TestImages.Png()) { Headers = { ContentType = new("image/png") } }, "images", "a.png");
        await (await user.PostAsync("/products", form)).ShouldBeProblem(HttpStatusCode.BadRequest);
        Assert.Empty((await user.GetFromJsonOk<ImagePage>("/images")).Items);
        Assert.Equal(keys, await app.ObjectKeysAsync());
    }

    [Fact]
    public async Task NullImageIdsInAPatchDoNotSilentlyDeleteEveryImage()
    {
        // A client serializing its PATCH model with nulls for what it does not change (STJ's default) sends this
        // when it only renames: that must not delete the product's images and their objects.
        using var user = await app.NewUserAsync();
        var image = await user.UploadOkAsync(TestImages.Png());
        var product = await user.CreateProductOkAsync("Kept", [image.Id]);

        var response = await user.PatchAsync($"/products/{product.Id}", AppsApi.Json("""{"name":"Renamed","imageIds":null}"""));

        await response.ShouldBeValidationProblem("imageIds");
        Assert.Equal([image.Id], (await user.GetFromJsonOk<ProductDto>($"/products/{product.Id}")).Images.Select(i => i.Id));
        Assert.Contains(image.Key, await app.ObjectKeysAsync());
    }

    [Fact]
    public async Task MultipartNameGivenTwiceIsRefusedAndLeavesNothing()
    {
        using var user = await app.NewUserAsync();
        var keys = await app.ObjectKeysAsync();
        using var form = AppsApi.ProductForm("First", [new(TestImages.Png())]);
        form.Add(new StringContent("Second"), "name");
        await (await user.PostAsync("/products", form)).ShouldBeProblem(HttpStatusCode.BadRequest);
        Assert.Empty((await user.GetFromJsonOk<ImagePage>("/images")).Items);
        Assert.Equal(keys, await app.ObjectKeysAsync());
    }

    [Fact]
    public async Task TwoPicturesInOneRequestAreRefusedAndLeaveNothing()
    {
        using var user = await app.NewUserAsync();
        var keys = await app.ObjectKeysAsync();
        using var form = new MultipartFormDataContent();
        form.Add(new ByteArrayContent(TestImages.Png()) { Headers = { ContentType = new("image/png") } }, "file", "a.png");
        form.Add(new ByteArrayContent(TestImages.Png()) { Headers = { ContentType = new("image/png") } }, "file", "b.png");
        await (await user.PostAsync("/profile/picture", form)).ShouldBeProblem(HttpStatusCode.BadRequest);
        Assert.Equal(keys, await app.ObjectKeysAsync());
    }

    [Fact]
    public async Task AClientThatDropsTheConnectionHalfwayLeavesNoImageBehind()
    {
        using var user = await app.NewUserAsync();
        var keys = await app.ObjectKeysAsync();
        var head = Encoding.ASCII.GetBytes("--b\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\nDropped\r\n");
        var file = (string name) => Encoding.ASCII.GetBytes($"--b\r\nContent-Disposition: form-data; name=\"images\"; filename=\"{name}\"\r\nContent-Type: image/png\r\n\r\n")
            .Concat(TestImages.Png()).Concat("\r\n"u8.ToArray());
        var sent = head.Concat(file("a.png")).Concat(file("b.png")).Concat(file("c.png").Take(200)).ToArray();

        await Assert.ThrowsAnyAsync<Exception>(() => user.PostAsync("/products", new DroppingContent(sent)));

        // The server notices the drop on its own time: wait (boundedly) until it has cleaned up.
        IReadOnlyList<string> now = [];
        List<ImageDto> rows = [];
        for (var i = 0; i < 40; i++)
        {
            await Task.Delay(250);
            rows = (await user.GetFromJsonOk<ImagePage>("/images")).Items;
            now = await app.ObjectKeysAsync();
            if (rows.Count == 0 && now.SequenceEqual(keys)) break;
        }
        Assert.Empty(rows);
        Assert.Equal(keys, now);
    }

    private sealed class DroppingContent : HttpContent
    {
        private readonly byte[] sent;

        public DroppingContent(byte[] sent)
        {
            this.sent = sent;
            Headers.ContentType = MediaTypeHeaderValue.Parse("multipart/form-data; boundary=b");
        }

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            await stream.WriteAsync(sent);
            await stream.FlushAsync();
            await Task.Delay(500); // let the server take the whole files first
            throw new IOException("the client went away");
        }

        protected override bool TryComputeLength(out long length)
        {
            length = sent.Length + 100_000; // more than will ever come
            return true;
        }
    }

    [Fact]
    public async Task ConcurrentFirstSavesOfAProfileAllSucceed()
    {
        using var user = await app.NewUserAsync();
        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => user.PutProfileAsync($$"""{"displayName":"Tab {{i}}"}""")));
        foreach (var r in responses) await r.ShouldBe(HttpStatusCode.OK);
        Assert.StartsWith("Tab ", (await user.GetFromJsonOk<ProfileDto>("/profile")).DisplayName);
    }
}

public sealed class LocalHostileInputTests(LocalApp app) : HostileInputTests(app), IClassFixture<LocalApp>;

public sealed class S3HostileInputTests(S3App app) : HostileInputTests(app), IClassFixture<S3App>;
