using System.Net;
using System.Net.Http.Headers;
using MediaVault.Tests.Infrastructure;

namespace MediaVault.Tests.Hardening;

/// <summary>What every answer carries: no sniffing, no referrer, never framed, no Server banner; stored
/// objects are sandboxed; a public object's cache lifetime is the configured one.</summary>
public abstract class HeadersTests(MediaVaultApplication app)
{
    [Fact]
    public async Task ApiAnswersCarryTheSecurityHeadersAndNoServerBanner()
    {
        using var user = await app.NewUserAsync();
        using var anon = app.Anonymous();
        var answers = new[]
        {
            await user.GetAsync("/images"),
            await user.GetAsync($"/images/{Guid.NewGuid()}"), // 404
            await anon.GetAsync("/images"), // 401
            await user.PostAsync("/images/presign-upload", new StringContent("{", System.Text.Encoding.UTF8, "application/json")), // 400
            await anon.GetAsync("/health/live"),
        };
        foreach (var r in answers)
        {
            var what = $"{r.RequestMessage!.Method} {r.RequestMessage.RequestUri} {(int)r.StatusCode}";
            Assert.Equal(["nosniff"], r.Headers.GetValues("X-Content-Type-Options"));
            Assert.Equal(["no-referrer"], r.Headers.GetValues("Referrer-Policy"));
            Assert.True(r.Headers.TryGetValues("Content-Security-Policy", out var csp), what);
            Assert.Contains("frame-ancestors 'none'", string.Join(",", csp));
            Assert.False(r.Headers.Contains("Server"), what);
        }
    }

    [Fact]
    public async Task TheWebUiKeepsItsOwnContentSecurityPolicy()
    {
        using var anon = app.Anonymous();
        var page = await anon.GetAsync("/");
        await page.ShouldBe(HttpStatusCode.OK);
        var csp = string.Join(",", page.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("script-src 'self'", csp);
        Assert.Contains("frame-ancestors 'none'", csp);
        Assert.False(page.Headers.Contains("Server"));
    }

    [Fact]
    public async Task APublicObjectCarriesTheConfiguredCacheLifetime()
    {
        using var user = await app.NewUserAsync();
        var image = await user.UploadOkAsync(TestImages.Png(), collection: "public");
        var response = await ApiExtensions.FetchAsync(image.Url);
        await response.ShouldBe(HttpStatusCode.OK);
        Assert.Equal("public, max-age=86400, immutable", response.Headers.CacheControl?.ToString());
    }
}

public sealed class LocalHeadersTests(LocalApp app) : HeadersTests(app), IClassFixture<LocalApp>
{
    [Fact]
    public async Task StoredObjectsAreSandboxed()
    {
        using var user = await app.NewUserAsync();
        var image = await user.UploadOkAsync(TestImages.Png());
        var response = await ApiExtensions.FetchAsync(image.Url);
        await response.ShouldBe(HttpStatusCode.OK);
        var csp = string.Join(",", response.Headers.GetValues("Content-Security-Policy"));
        Assert.StartsWith("sandbox", csp);
        Assert.Equal(["nosniff"], response.Headers.GetValues("X-Content-Type-Options"));
        Assert.False(response.Headers.Contains("Server"));
    }

    [Fact]
    public async Task AnUnsatisfiableRangeIsA416Problem()
    {
        using var user = await app.NewUserAsync();
        var image = await user.UploadOkAsync(TestImages.Png());
        using var client = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, image.Url);
        request.Headers.Range = new RangeHeaderValue(10_000_000, null);
        var response = await client.SendAsync(request);
        await response.ShouldBeProblem(HttpStatusCode.RequestedRangeNotSatisfiable);
        Assert.Equal($"bytes */{image.Size}", response.Content.Headers.ContentRange?.ToString());
    }
}

public sealed class S3HeadersTests(S3App app) : HeadersTests(app), IClassFixture<S3App>;

/// <summary>Storage:PublicCacheMaxAge sets the lifetime on both stores.</summary>
public sealed class PublicCacheSettingTests(RgwServer rgw)
{
    [Theory]
    [InlineData(StoreKind.Local)]
    [InlineData(StoreKind.S3)]
    public async Task TheCacheLifetimeOfPublicObjectsIsConfigurable(StoreKind store)
    {
        await using var app = new MediaVaultApplication(store, rgw, new Dictionary<string, string?> { ["Storage:PublicCacheMaxAge"] = "00:05:00" });
        await app.InitializeAsync();
        using var user = await app.NewUserAsync();
        var proxied = await user.UploadOkAsync(TestImages.Png(), collection: "public");
        var direct = await user.DirectUploadOkAsync(TestImages.Png(), collection: "public");
        foreach (var image in new[] { proxied, direct })
        {
            var response = await ApiExtensions.FetchAsync(image.Url);
            await response.ShouldBe(HttpStatusCode.OK);
            Assert.Equal("public, max-age=300, immutable", response.Headers.CacheControl?.ToString());
        }
    }
}
