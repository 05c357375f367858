using System.Net.Http.Headers;
using MediaVault.Tests.Infrastructure;

namespace MediaVault.Tests.Hardening;

/// <summary>A missing, empty or malformed Host never gives a 500: URLs come from the configured public
/// origin, or the request is refused with a 400 problem.</summary>
public abstract class HostHeaderTests(MediaVaultApplication app)
{
    public static readonly TheoryData<string> OddHosts = new()
    {
        "HTTP/1.0\n",                        // HTTP/1.0 needs no Host
        "HTTP/1.1\nHost: \n",                // empty
        "HTTP/1.1\nHost: a:99999\n",         // port out of range
        "HTTP/1.1\nHost: _bad_.example\n",
        "HTTP/1.1\nHost: 127.0.0.1:0\n",
    };

    /// <summary>Hosts Kestrel refuses itself, before the app runs: a bare 400 (listed in the README).</summary>
    public static readonly TheoryData<string> HostsKestrelRefuses = new() { "[::1", "user@evil.example", "a/b" };

    public static readonly string[] Paths =
        ["GET /images", "GET /community", "GET /products", "GET /profile", "POST /images/presign-upload", "GET /", "GET /openapi/v1.json", "GET /health/ready"];

    [Theory]
    [MemberData(nameof(OddHosts))]
    public async Task NoEndpointAnswersAnOddHostWithAServerError(string versionAndHost)
    {
        using var user = await app.NewUserAsync();
        await user.UploadOkAsync(TestImages.Png()); // so lists hold a URL to build
        var token = user.DefaultRequestHeaders.Authorization!.Parameter;
        foreach (var path in Paths)
        {
            var body = path.StartsWith("POST") ? """{"filename":"a.png","filetype":"image/png","size":10}""" : "";
            var head = $"{path} {versionAndHost}Authorization: Bearer {token}\nConnection: close\n"
                + (body.Length > 0 ? $"Content-Type: application/json\nContent-Length: {body.Length}\n" : "") + "\n";
            var answer = await RawHttp.SendAsync(app.BaseAddress, head, body);
            Assert.True(answer.Status < 500, $"{path} with {versionAndHost.Trim()}: {answer.Status}\n{answer.Head}\n{answer.Body}");
            if (answer.Status == 400) Assert.Contains("application/problem+json", answer.Head);
            Assert.DoesNotContain("   at ", answer.Body); // no stack trace
        }
    }

    [Theory]
    [MemberData(nameof(HostsKestrelRefuses))]
    public async Task HostsKestrelRefusesAreABare400BeforeTheApp(string host)
    {
        var answer = await RawHttp.SendAsync(app.BaseAddress, $"GET /images HTTP/1.1\nHost: {host}\nConnection: close\n\n");
        Assert.Equal(400, answer.Status);
        Assert.Contains("Content-Length: 0", answer.Head);
    }
}

public sealed class LocalHostHeaderTests(LocalApp app) : HostHeaderTests(app), IClassFixture<LocalApp>;

public sealed class S3HostHeaderTests(S3App app) : HostHeaderTests(app), IClassFixture<S3App>;

/// <summary>With Storage:Local:PublicBaseUrl set, the request's Host plays no part in the URLs handed out.</summary>
public sealed class ConfiguredOriginTests(RgwServer rgw)
{
    [Fact]
    public async Task UrlsComeFromTheConfiguredOriginWhateverTheHost()
    {
        await using var app = new MediaVaultApplication(StoreKind.Local, rgw, new Dictionary<string, string?>
        {
            ["Storage:Local:PublicBaseUrl"] = "https://media.example.test",
        });
        await app.InitializeAsync();
        using var user = await app.NewUserAsync();
        var token = user.DefaultRequestHeaders.Authorization!.Parameter;
        const string body = """{"filename":"a.png","filetype":"image/png","size":10}""";
        var answer = await RawHttp.SendAsync(app.BaseAddress,
            $"POST /images/presign-upload HTTP/1.0\nAuthorization: Bearer {token}\nContent-Type: application/json\nContent-Length: {body.Length}\nConnection: close\n\n", body);
        Assert.Equal(200, answer.Status);
        Assert.Contains("\"url\":\"https://media.example.test/storage/", answer.Body);
    }

    [Fact]
    public async Task WithoutAConfiguredOriginAMissingHostIsA400Problem()
    {
        await using var app = new MediaVaultApplication(StoreKind.Local, rgw);
        await app.InitializeAsync();
        using var user = await app.NewUserAsync();
        var token = user.DefaultRequestHeaders.Authorization!.Parameter;
        const string body = """{"filename":"a.png","filetype":"image/png","size":10}""";
        var answer = await RawHttp.SendAsync(app.BaseAddress,
            $"POST /images/presign-upload HTTP/1.0\nAuthorization: Bearer {token}\nContent-Type: application/json\nContent-Length: {body.Length}\nConnection: close\n\n", body);
        Assert.Equal(400, answer.Status);
        Assert.Contains("application/problem+json", answer.Head);
        Assert.Contains("Host", answer.Body);
    }

    [Fact]
    public async Task AHostOutsideAllowedHostsIsA400Problem()
    {
        await using var app = new MediaVaultApplication(StoreKind.Local, rgw, new Dictionary<string, string?> { ["AllowedHosts"] = "media.example.test;*.cdn.example.test" });
        await app.InitializeAsync();
        var refused = await RawHttp.SendAsync(app.BaseAddress, "GET /health/live HTTP/1.1\nHost: evil.example\nConnection: close\n\n");
        Assert.Equal(400, refused.Status);
        Assert.Contains("application/problem+json", refused.Head);
        Assert.Contains("AllowedHosts", refused.Body);
        foreach (var host in new[] { "media.example.test", "a.cdn.example.test:8080" })
            Assert.Equal(200, (await RawHttp.SendAsync(app.BaseAddress, $"GET /health/live HTTP/1.1\nHost: {host}\nConnection: close\n\n")).Status);
    }
}
