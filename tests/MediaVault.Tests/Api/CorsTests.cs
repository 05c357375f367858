using System.Net;
using MediaVault.Tests.Infrastructure;

namespace MediaVault.Tests.Api;

/// <summary>Pages on an allowed origin can call the API and upload straight to storage; other origins get no CORS grant.</summary>
public abstract class CorsTests(MediaVaultApplication app)
{
    private const string Stranger = "http://evil.example.test";
    private static readonly HttpClient Http = new();

    [Fact]
    public async Task PreflightFromTheAllowedOriginIsGranted()
    {
        using var response = await Http.SendAsync(Preflight(new Uri(app.BaseAddress, "/images/presign-upload"), MediaVaultApplication.TrustedOrigin, "POST", "authorization,content-type"));
        Assert.Equal(MediaVaultApplication.TrustedOrigin, Header(response, "Access-Control-Allow-Origin"));
        Assert.Contains("POST", Header(response, "Access-Control-Allow-Methods"));
        Assert.Contains("authorization", Header(response, "Access-Control-Allow-Headers"), StringComparison.OrdinalIgnoreCase);
        Assert.Null(Header(response, "Access-Control-Allow-Credentials")); // tokens are headers, never cookies
    }

    [Fact]
    public async Task PreflightFromAnotherOriginGetsNoGrant()
    {
        using var response = await Http.SendAsync(Preflight(new Uri(app.BaseAddress, "/images/presign-upload"), Stranger, "POST", "authorization,content-type"));
        Assert.Null(Header(response, "Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task ApiAnswersCarryTheGrantForTheAllowedOriginOnly()
    {
        using var user = await app.NewUserAsync();
        foreach (var (origin, granted) in new[] { (MediaVaultApplication.TrustedOrigin, true), (Stranger, false) })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/images");
            request.Headers.Add("Origin", origin);
            using var response = await user.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(granted ? origin : null, Header(response, "Access-Control-Allow-Origin"));
        }
    }

    [Fact]
    public async Task StorageGrantsADirectUploadFromTheAllowedOriginAndExposesTheETag()
    {
        using var user = await app.NewUserAsync();
        var png = TestImages.Png();
        var p = await user.PresignAsync("a.png", "image/png", png.Length);

        using (var preflight = await Http.SendAsync(Preflight(new Uri(p.Url), MediaVaultApplication.TrustedOrigin, "PUT", "content-type")))
        {
            Assert.True(preflight.IsSuccessStatusCode, $"preflight answered {(int)preflight.StatusCode}");
            Assert.Equal(MediaVaultApplication.TrustedOrigin, Header(preflight, "Access-Control-Allow-Origin"));
            Assert.Contains("PUT", Header(preflight, "Access-Control-Allow-Methods"));
        }
        using (var stranger = await Http.SendAsync(Preflight(new Uri(p.Url), Stranger, "PUT", "content-type")))
            Assert.Null(Header(stranger, "Access-Control-Allow-Origin"));

        using var put = new HttpRequestMessage(HttpMethod.Put, p.Url) { Content = new ByteArrayContent(png) };
        put.Content.Headers.ContentType = new("image/png");
        put.Headers.Add("Origin", MediaVaultApplication.TrustedOrigin);
        using var stored = await Http.SendAsync(put);
        Assert.True(stored.IsSuccessStatusCode, $"PUT answered {(int)stored.StatusCode}");
        Assert.Equal(MediaVaultApplication.TrustedOrigin, Header(stored, "Access-Control-Allow-Origin"));
        Assert.Contains("etag", Header(stored, "Access-Control-Expose-Headers") ?? "", StringComparison.OrdinalIgnoreCase);
    }

    private static HttpRequestMessage Preflight(Uri url, string origin, string method, string headers)
    {
        var request = new HttpRequestMessage(HttpMethod.Options, url);
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", method);
        request.Headers.Add("Access-Control-Request-Headers", headers);
        return request;
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values)
            ? string.Join(",", values) : null;
}

public sealed class LocalCorsTests(LocalApp app) : CorsTests(app), IClassFixture<LocalApp>;

public sealed class S3CorsTests(S3App app) : CorsTests(app), IClassFixture<S3App>;
