using System.Net;
using System.Net.Http.Headers;
using System.Text;
using MediaVault.Tests.Infrastructure;

namespace MediaVault.Tests.Apps;

/// <summary>What POST /profile/picture and PUT /profile refuse, keeping nothing.</summary>
public abstract class ProfilesRequestsTests(MediaVaultApplication app)
{
    [Theory]
    [InlineData("text", HttpStatusCode.UnsupportedMediaType)]
    [InlineData("svg", HttpStatusCode.UnsupportedMediaType)]
    [InlineData("png declared jpeg", HttpStatusCode.UnprocessableEntity)]
    [InlineData("over 5 MiB", HttpStatusCode.RequestEntityTooLarge)]
    [InlineData("empty", HttpStatusCode.BadRequest)]
    [InlineData("pixel bomb", HttpStatusCode.UnprocessableEntity)]
    public async Task BadPictureIsRefusedAndKeepsNothing(string bad, HttpStatusCode status)
    {
        using var user = await app.NewUserAsync();
        var keys = await app.ObjectKeysAsync();
        var response = bad switch
        {
            "text" => await user.UploadPictureAsync(Encoding.UTF8.GetBytes("hello, not a picture"), "me.png"),
            "svg" => await user.UploadPictureAsync(Encoding.UTF8.GetBytes("<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>"),
                "me.svg", "image/svg+xml"),
            "png declared jpeg" => await user.UploadPictureAsync(TestImages.Png(), "me.jpg", "image/jpeg"),
            "over 5 MiB" => await user.UploadPictureAsync(TestImages.PaddedPng(5 * 1024 * 1024 + 1)),
            "empty" => await user.UploadPictureAsync([]),
            _ => await user.UploadPictureAsync(TestImages.PngHeaderOnly(50_000, 50_000)),
        };
        await response.ShouldBeProblem(status);
        Assert.Equal(keys, await app.ObjectKeysAsync());
        Assert.Null((await user.GetFromJsonOk<ProfileDto>("/profile")).PictureKey);
    }

    [Fact]
    public async Task EveryAllowedFormatIsAccepted()
    {
        using var user = await app.NewUserAsync();
        foreach (var (bytes, type) in new[] { (TestImages.Jpeg(), "image/jpeg"), (TestImages.Png(), "image/png"), (TestImages.Gif(), "image/gif"), (TestImages.WebP(), "image/webp") })
        {
            var preview = await user.UploadPictureOkAsync(bytes, "me", type);
            Assert.Equal(bytes, await ApiExtensions.DownloadAsync(preview.Url));
        }
        await user.UploadPictureOkAsync(TestImages.PaddedPng(5 * 1024 * 1024));
    }

    [Fact]
    public async Task PictureBodyThatIsNotMultipartIs415()
    {
        using var user = await app.NewUserAsync();
        var keys = await app.ObjectKeysAsync();
        await (await user.PostAsync("/profile/picture", new ByteArrayContent(TestImages.Png()) { Headers = { ContentType = new("image/png") } }))
            .ShouldBeProblem(HttpStatusCode.UnsupportedMediaType);
        await (await user.PostAsync("/profile/picture", AppsApi.Json("""{"file":"iVBORw0KGgo="}""")))
            .ShouldBeProblem(HttpStatusCode.UnsupportedMediaType);
        Assert.Equal(keys, await app.ObjectKeysAsync());
    }

    [Fact]
    public async Task TruncatedPictureMultipartIs400AndKeepsNothing()
    {
        using var user = await app.NewUserAsync();
        var keys = await app.ObjectKeysAsync();
        var body = Encoding.ASCII.GetBytes("--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.png\"\r\nContent-Type: image/png\r\n\r\n")
            .Concat(TestImages.Png()).ToArray(); // no closing boundary
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse("multipart/form-data; boundary=b");
        await (await user.PostAsync("/profile/picture", content)).ShouldBeProblem(HttpStatusCode.BadRequest);
        Assert.Equal(keys, await app.ObjectKeysAsync());
    }

    [Fact]
    public async Task PictureFormWithoutAFileIs400()
    {
        using var user = await app.NewUserAsync();
        using var form = new MultipartFormDataContent { { new StringContent("hello"), "caption" } };
        await (await user.PostAsync("/profile/picture", form)).ShouldBeProblem(HttpStatusCode.BadRequest);
        using var wrongField = new MultipartFormDataContent();
        wrongField.Add(new ByteArrayContent(TestImages.Png()) { Headers = { ContentType = new("image/png") } }, "picture", "a.png");
        var keys = await app.ObjectKeysAsync();
        await (await user.PostAsync("/profile/picture", wrongField)).ShouldBeProblem(HttpStatusCode.BadRequest);
        Assert.Equal(keys, await app.ObjectKeysAsync());
    }

    [Theory]
    [InlineData("text/plain", """{"displayName":"x"}""")]
    [InlineData("application/x-www-form-urlencoded", "displayName=x")]
    [InlineData(null, """{"displayName":"x"}""")]
    public async Task ProfileBodyThatIsNotJsonIs415(string? contentType, string body)
    {
        using var user = await app.NewUserAsync();
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        if (contentType is not null) content.Headers.ContentType = new(contentType);
        await (await user.PutAsync("/profile", content)).ShouldBeProblem(HttpStatusCode.UnsupportedMediaType);
        Assert.Null((await user.GetFromJsonOk<ProfileDto>("/profile")).DisplayName);
    }

    [Theory]
    [InlineData("""{"displayName":""")]
    [InlineData("""{"displayName":42}""")]
    [InlineData("""{"pictureKey":["avatars/a.png"]}""")]
    [InlineData("""["displayName"]""")]
    [InlineData("")]
    public async Task ProfileJsonThatIsNotAProfileIs400(string json)
    {
        using var user = await app.NewUserAsync();
        await (await user.PutProfileAsync(json)).ShouldBeProblem(HttpStatusCode.BadRequest);
        Assert.Null((await user.GetFromJsonOk<ProfileDto>("/profile")).DisplayName);
    }
}

public sealed class LocalProfilesRequestsTests(LocalApp app) : ProfilesRequestsTests(app), IClassFixture<LocalApp>;

public sealed class S3ProfilesRequestsTests(S3App app) : ProfilesRequestsTests(app), IClassFixture<S3App>;
