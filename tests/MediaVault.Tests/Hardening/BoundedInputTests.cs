using System.Net;
using System.Net.Http.Json;
using MediaVault.Tests.Apps;
using MediaVault.Tests.Infrastructure;

namespace MediaVault.Tests.Hardening;

/// <summary>Forms and JSON bodies are bounded by what their endpoint needs; past that, a problem.</summary>
public abstract class BoundedInputTests(MediaVaultApplication app)
{
    [Theory]
    [InlineData("/images/upload")]
    [InlineData("/profile/picture")]
    [InlineData("/products")]
    public async Task AFormWithTooManyPartsIsRefused(string path)
    {
        using var user = await app.NewUserAsync();
        using var form = new MultipartFormDataContent();
        for (var i = 0; i < 60; i++) form.Add(new StringContent("x"), $"extra{i}");
        form.Add(new ByteArrayContent(TestImages.Png()) { Headers = { ContentType = new("image/png") } }, path == "/products" ? "images" : "file", "a.png");
        var problem = await (await user.PostAsync(path, form)).ShouldBeProblem(HttpStatusCode.BadRequest);
        Assert.Contains("parts", problem.Detail);
        Assert.Empty((await user.GetFromJsonOk<ImagePage>("/images")).Items);
    }

    [Theory]
    [InlineData("/images/upload")]
    [InlineData("/profile/picture")]
    public async Task TextFieldsOverTheFormsTotalAre413(string path)
    {
        using var user = await app.NewUserAsync();
        using var form = new MultipartFormDataContent();
        for (var i = 0; i < 17; i++) form.Add(new StringContent(new string('x', 1000)), $"note{i}"); // each allowed, 17 kB in all
        form.Add(new ByteArrayContent(TestImages.Png()) { Headers = { ContentType = new("image/png") } }, "file", "a.png");
        var problem = await (await user.PostAsync(path, form)).ShouldBeProblem(HttpStatusCode.RequestEntityTooLarge);
        Assert.Contains("16384 bytes", problem.Detail);
    }

    [Theory]
    [InlineData("POST", "/images/presign-upload", 17_000)]
    [InlineData("POST", "/images", 17_000)]
    [InlineData("PUT", "/profile", 17_000)]
    [InlineData("POST", "/products", 66_000)]
    [InlineData("PATCH", "/products/{id}", 66_000)]
    public async Task JsonBodiesOverTheirEndpointsLimitAre413(string method, string path, int size)
    {
        using var user = await app.NewUserAsync();
        var product = await user.CreateProductOkAsync("Lamp");
        var json = $$"""{"filler":"{{new string('x', size)}}"}""";
        var response = await user.SendAsync(new HttpRequestMessage(new HttpMethod(method), path.Replace("{id}", product.Id.ToString())) { Content = AppsApi.Json(json) });
        await response.ShouldBeProblem(HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task ACollectionGivenInQueryAndFormThatDisagreeIs400()
    {
        using var user = await app.NewUserAsync();
        using var form = new MultipartFormDataContent { { new StringContent("images"), "collection" } };
        form.Add(new ByteArrayContent(TestImages.Png()) { Headers = { ContentType = new("image/png") } }, "file", "a.png");
        await (await user.PostAsync("/images/upload?collection=small", form)).ShouldBeValidationProblem("collection");
        Assert.Empty((await user.GetFromJsonOk<ImagePage>("/images")).Items);

        using var twice = new MultipartFormDataContent { { new StringContent("small"), "collection" }, { new StringContent("images"), "collection" } };
        twice.Add(new ByteArrayContent(TestImages.Png()) { Headers = { ContentType = new("image/png") } }, "file", "a.png");
        await (await user.PostAsync("/images/upload", twice)).ShouldBeValidationProblem("collection");
    }

    [Fact]
    public async Task ACollectionGivenTwiceAlikeIsTaken()
    {
        using var user = await app.NewUserAsync();
        using var form = new MultipartFormDataContent { { new StringContent("small"), "collection" } };
        form.Add(new ByteArrayContent(TestImages.Png()) { Headers = { ContentType = new("image/png") } }, "file", "a.png");
        var response = await user.PostAsync("/images/upload?collection=small", form);
        await response.ShouldBe(HttpStatusCode.Created);
        Assert.Equal("small", (await response.Content.ReadFromJsonAsync<ImageDto>())!.Collection);
    }
}

public sealed class LocalBoundedInputTests(LocalApp app) : BoundedInputTests(app), IClassFixture<LocalApp>;

public sealed class S3BoundedInputTests(S3App app) : BoundedInputTests(app), IClassFixture<S3App>;
