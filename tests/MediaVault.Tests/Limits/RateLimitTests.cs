using System.Net;
using System.Net.Http.Json;
using MediaVault.Tests.Apps;
using MediaVault.Tests.Infrastructure;

namespace MediaVault.Tests.Limits;

/// <summary>Past a rate limit the app answers 429 with Retry-After as a problem: per client IP on /auth and
/// the local store's /storage, per user on uploads and on what mints signed URLs. Windows are an hour long,
/// so no test depends on how fast it runs.</summary>
public abstract class RateLimitTests(RgwServer rgw, StoreKind store)
{
    protected const string Hour = "01:00:00";
    protected RgwServer Rgw => rgw;

    [Fact]
    public async Task LoginsPastThePerIpLimitGet429WithRetryAfter()
    {
        await using var app = await LimitedApp.StartAsync(store, rgw, ("RateLimits:AuthPerIp:PermitLimit", "4"), ("RateLimits:AuthPerIp:Window", Hour));
        using var anon = app.Anonymous();
        for (var i = 0; i < 4; i++)
        {
            var login = await anon.PostAsJsonAsync("/auth/login", new { email = $"nobody{i}@example.com", password = "wrong" });
            Assert.Equal(HttpStatusCode.Unauthorized, login.StatusCode);
        }
        await (await anon.PostAsJsonAsync("/auth/login", new { email = "nobody@example.com", password = "wrong" })).ShouldBeRateLimited();
        // Every /auth endpoint shares the IP's budget; the rest of the API does not.
        await (await anon.PostAsJsonAsync("/auth/register", new { email = "new@example.com", password = "Str0ng!Passw0rd" })).ShouldBeRateLimited();
        await (await anon.GetAsync("/health/live")).ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task UploadsPastThePerUserLimitGet429AndOtherUsersStillUpload()
    {
        await using var app = await LimitedApp.StartAsync(store, rgw, ("RateLimits:UploadsPerUser:PermitLimit", "3"), ("RateLimits:UploadsPerUser:Window", Hour));
        using var user = await app.NewUserAsync();
        // Presign, PUT to storage (not an API request), register, and a proxied upload: three of the budget.
        await user.DirectUploadOkAsync(TestImages.Png());
        await user.UploadOkAsync(TestImages.Png());
        await (await user.UploadAsync(TestImages.Png())).ShouldBeRateLimited();
        await (await user.PostAsJsonAsync("/images/presign-upload", new { filename = "a.png", filetype = "image/png", size = 100 })).ShouldBeRateLimited();
        await (await user.CompleteAsync(Guid.NewGuid())).ShouldBeRateLimited();

        using var other = await app.NewUserAsync();
        await other.UploadOkAsync(TestImages.Png());
    }

    [Fact]
    public async Task MultipartProductsAndProfilePicturesCountAsUploadsButJsonProductsDoNot()
    {
        await using var app = await LimitedApp.StartAsync(store, rgw, ("RateLimits:UploadsPerUser:PermitLimit", "1"), ("RateLimits:UploadsPerUser:Window", Hour));
        using var user = await app.NewUserAsync();
        await (await user.CreateProductMultipartAsync("Lamp", [new FilePart(TestImages.Png())])).ShouldBe(HttpStatusCode.Created);
        await (await user.CreateProductMultipartAsync("Lamp", [new FilePart(TestImages.Png())])).ShouldBeRateLimited();
        for (var i = 0; i < 3; i++) await user.CreateProductOkAsync("Chair");

        using var member = await app.NewUserAsync();
        await (await member.UploadPictureAsync(TestImages.Png())).ShouldBe(HttpStatusCode.Created);
        await (await member.UploadPictureAsync(TestImages.Png())).ShouldBeRateLimited();
    }

    [Theory]
    [InlineData("/images")]
    [InlineData("/images/{id}")]
    [InlineData("/images/{id}/signed-url")]
    [InlineData("/images/signed-url?key={key}")]
    [InlineData("/products")]
    [InlineData("/community")]
    public async Task ReadsThatMintSignedUrlsPastThePerUserLimitGet429(string path)
    {
        await using var app = await LimitedApp.StartAsync(store, rgw, ("RateLimits:SignedUrlsPerUser:PermitLimit", "3"), ("RateLimits:SignedUrlsPerUser:Window", Hour));
        using var user = await app.NewUserAsync();
        var image = await user.UploadOkAsync(TestImages.Png());
        var url = path.Replace("{id}", image.Id.ToString()).Replace("{key}", Uri.EscapeDataString(image.Key));
        for (var i = 0; i < 3; i++) await (await user.GetAsync(url)).ShouldBe(HttpStatusCode.OK);
        await (await user.GetAsync(url)).ShouldBeRateLimited();

        using var other = await app.NewUserAsync();
        await (await other.GetAsync("/images")).ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task AStrangerWithoutATokenIsRefused401BeforeCountingAgainstAnyone()
    {
        await using var app = await LimitedApp.StartAsync(store, rgw, ("RateLimits:SignedUrlsPerUser:PermitLimit", "1"), ("RateLimits:SignedUrlsPerUser:Window", Hour));
        using var anon = app.Anonymous();
        for (var i = 0; i < 3; i++) await (await anon.GetAsync("/images")).ShouldBe(HttpStatusCode.Unauthorized);
        using var user = await app.NewUserAsync();
        await (await user.GetAsync("/images")).ShouldBe(HttpStatusCode.OK);
    }
}

public sealed class LocalRateLimitTests(RgwServer rgw) : RateLimitTests(rgw, StoreKind.Local)
{
    [Fact]
    public async Task AnonymousStorageReadsPastThePerIpLimitGet429()
    {
        await using var app = await LimitedApp.StartAsync(StoreKind.Local, Rgw, ("RateLimits:StoragePerIp:PermitLimit", "3"), ("RateLimits:StoragePerIp:Window", Hour));
        using var user = await app.NewUserAsync();
        var image = await user.UploadOkAsync(TestImages.Png());
        Assert.StartsWith(app.BaseAddress.ToString().TrimEnd('/') + "/storage/", image.Url);
        for (var i = 0; i < 3; i++) await (await ApiExtensions.FetchAsync(image.Url)).ShouldBe(HttpStatusCode.OK);
        await (await ApiExtensions.FetchAsync(image.Url)).ShouldBeRateLimited();
        // The same IP's uploads straight to storage share the budget.
        var p = await user.PresignAsync("a.png", "image/png", 100);
        await (await ApiExtensions.SendToStorageAsync(p, TestImages.Png())).ShouldBeRateLimited();
    }
}

public sealed class S3RateLimitTests(RgwServer rgw) : RateLimitTests(rgw, StoreKind.S3);

/// <summary>The OpenAPI document lists the 429 of every rate-limited endpoint and the 403 of every quota.</summary>
public sealed class LimitsApiDocsTests(LocalApp app) : IClassFixture<LocalApp>
{
    [Theory]
    [InlineData("/auth/login", "post", "429")]
    [InlineData("/storage/{key}", "get", "429")]
    [InlineData("/images/presign-upload", "post", "403 429")]
    [InlineData("/images", "post", "403 429")]
    [InlineData("/images/upload", "post", "403 429")]
    [InlineData("/products", "post", "403 429")]
    [InlineData("/profile/picture", "post", "403 429")]
    [InlineData("/images", "get", "429")]
    [InlineData("/images/{id}/signed-url", "get", "429")]
    [InlineData("/community", "get", "429")]
    [InlineData("/account/usage", "get", "200 401")]
    public async Task DocumentListsTheLimitStatuses(string path, string method, string statuses)
    {
        using var http = app.Anonymous();
        using var document = System.Text.Json.JsonDocument.Parse(await http.GetStringAsync("/openapi/v1.json"));
        var operation = document.RootElement.GetProperty("paths").GetProperty(path).GetProperty(method);
        var listed = operation.GetProperty("responses").EnumerateObject().Select(r => r.Name).ToHashSet();
        foreach (var status in statuses.Split(' '))
            Assert.True(listed.Contains(status), $"{method} {path} lists {string.Join(",", listed)}, not {status}");
    }
}
