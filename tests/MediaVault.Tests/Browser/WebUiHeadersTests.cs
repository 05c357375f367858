using MediaVault.Tests.Infrastructure;

namespace MediaVault.Tests.Browser;

/// <summary>
/// The pages' CSP follows the store's configuration: it names the origins the store really hands
/// URLs out on (a local PublicBaseUrl, the S3 endpoint, a CDN for public collections), and nothing else.
/// </summary>
public sealed class WebUiHeadersTests(RgwServer rgw)
{
    [Theory]
    [InlineData(StoreKind.Local, null)]
    [InlineData(StoreKind.Local, "https://media.example.test")]
    [InlineData(StoreKind.S3, null)]
    [InlineData(StoreKind.S3, "https://cdn.example.test")]
    public async Task TheCspNamesTheOriginsTheStoreHandsOutUrlsOn(StoreKind store, string? publicBaseUrl)
    {
        var settings = new Dictionary<string, string?>();
        if (publicBaseUrl is not null) settings[store == StoreKind.Local ? "Storage:Local:PublicBaseUrl" : "Storage:S3:PublicBaseUrl"] = publicBaseUrl + "/media";
        await using var app = new MediaVaultApplication(store, rgw, settings);
        await app.InitializeAsync();
        using var http = app.Anonymous();

        using var page = await http.GetAsync("/");
        var csp = string.Join(",", page.Headers.GetValues("Content-Security-Policy"));

        var expected = new List<string>();
        if (publicBaseUrl is not null) expected.Add(publicBaseUrl);
        if (store == StoreKind.S3) expected.Insert(0, new Uri(rgw.Endpoint).GetLeftPart(UriPartial.Authority));
        var storage = string.Concat(expected.Select(o => " " + o));
        Assert.Contains($"; img-src 'self' blob: data:{storage};", csp);
        Assert.Contains($"; connect-src 'self'{storage};", csp);
    }
}
