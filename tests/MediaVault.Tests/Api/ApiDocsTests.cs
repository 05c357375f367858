using System.Net;
using System.Text.Json;
using MediaVault.Tests.Infrastructure;

namespace MediaVault.Tests.Api;

/// <summary>The OpenAPI document lists every endpoint with the statuses it answers, and the bearer scheme.</summary>
public sealed class ApiDocsTests(LocalApp app) : IClassFixture<LocalApp>
{
    [Theory]
    [InlineData("/images/presign-upload", "post", "200 400 401 413 415 503")]
    [InlineData("/images", "post", "201 400 401 404 409 413 415 422 503")]
    [InlineData("/images/upload", "post", "201 400 401 409 413 415 422 503")]
    [InlineData("/images", "get", "200 400 401 503")]
    [InlineData("/images/{id}", "get", "200 401 404 503")]
    [InlineData("/images/{id}", "delete", "204 401 404 503")]
    [InlineData("/images/{id}/signed-url", "get", "200 401 404 503")]
    [InlineData("/images/signed-url", "get", "200 400 401 404 503")]
    [InlineData("/products", "post", "201 400 401 409 413 415 422 503")]
    [InlineData("/products", "get", "200 400 401 503")]
    [InlineData("/products/{id}", "get", "200 401 404 503")]
    [InlineData("/products/{id}", "patch", "200 400 401 403 404 409 413 503")]
    [InlineData("/products/{id}", "delete", "204 401 403 404 503")]
    [InlineData("/profile", "get", "200 401 503")]
    [InlineData("/profile", "put", "200 400 401 409 413 503")]
    [InlineData("/profile/picture", "post", "201 400 401 413 415 422 503")]
    [InlineData("/community", "get", "200 400 401 503")]
    [InlineData("/health/live", "get", "200")]
    [InlineData("/health/ready", "get", "200 503")]
    [InlineData("/storage/{key}", "get", "200 206 403 404")]
    [InlineData("/storage/{key}", "put", "200 403 413")]
    [InlineData("/storage", "post", "204 400 403 413")]
    [InlineData("/auth/login", "post", "200 401")]
    [InlineData("/auth/register", "post", "200 400")]
    public async Task DocumentListsTheEndpointWithEveryStatus(string path, string method, string statuses)
    {
        var document = await DocumentAsync();
        Assert.True(document.GetProperty("paths").TryGetProperty(path, out var item), $"{path} is not in the document");
        Assert.True(item.TryGetProperty(method, out var operation), $"{method} {path} is not in the document");
        var listed = operation.GetProperty("responses").EnumerateObject().Select(r => r.Name).ToHashSet();
        foreach (var status in statuses.Split(' '))
            Assert.True(listed.Contains(status), $"{method} {path} lists {string.Join(",", listed)}, not {status}");
    }

    [Fact]
    public async Task DocumentDescribesTheBearerSchemeAndWhereItIsNeeded()
    {
        var document = await DocumentAsync();
        var scheme = document.GetProperty("components").GetProperty("securitySchemes").GetProperty("Bearer");
        Assert.Equal(("http", "bearer"), (scheme.GetProperty("type").GetString(), scheme.GetProperty("scheme").GetString()));
        Assert.True(document.GetProperty("paths").GetProperty("/images").GetProperty("get").TryGetProperty("security", out _));
        Assert.False(document.GetProperty("paths").GetProperty("/storage/{key}").GetProperty("get").TryGetProperty("security", out _));
    }

    [Fact]
    public async Task InteractivePageIsServedAtDocs()
    {
        using var response = await app.Anonymous().GetAsync("/docs");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
    }

    private async Task<JsonElement> DocumentAsync()
    {
        using var response = await app.Anonymous().GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
    }
}

public sealed class ApiDocsSwitchTests(RgwServer rgw)
{
    [Fact]
    public async Task DocsCanBeTurnedOff()
    {
        await using var app = new MediaVaultApplication(StoreKind.Local, rgw, new Dictionary<string, string?> { ["OpenApi:Enabled"] = "false" });
        await app.InitializeAsync();
        using var anon = app.Anonymous();
        Assert.Equal(HttpStatusCode.NotFound, (await anon.GetAsync("/openapi/v1.json")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await anon.GetAsync("/docs")).StatusCode);
    }
}
