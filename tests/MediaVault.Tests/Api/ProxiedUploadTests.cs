using System.Net;
using System.Net.Http.Headers;
using System.Text;
using MediaVault.Tests.Infrastructure;

namespace MediaVault.Tests.Api;

/// <summary>POST /images/upload, against each store.</summary>
public abstract class ProxiedUploadTests(MediaVaultApplication app)
{
    [Fact]
    public async Task UploadReturnsImageWithVerifiedFacts()
    {
        using var user = await app.NewUserAsync();
        var image = await user.UploadOkAsync(TestImages.Png(120, 80), "holiday.png");

        Assert.Equal("holiday.png", image.Filename);
        Assert.Equal("image/png", image.ContentType);
        Assert.Equal((120, 80), (image.Width, image.Height));
        Assert.Equal("images", image.Collection);
        Assert.Matches($"^images/{image.Id:N}\\.png$", image.Key); // nothing says who uploaded it
        Assert.True(Uri.TryCreate(image.Url, UriKind.Absolute, out _), image.Url);
        Assert.InRange(image.UrlExpiresAt!.Value - DateTimeOffset.UtcNow, TimeSpan.FromMinutes(55), TimeSpan.FromMinutes(61));
    }

    [Fact]
    public async Task DownloadReturnsTheUploadedBytesWithPinnedHeaders()
    {
        using var user = await app.NewUserAsync();
        var jpeg = TestImages.Jpeg();
        var image = await user.UploadOkAsync(jpeg, "été photo.jpg", "image/jpeg");

        var response = await ApiExtensions.FetchAsync(image.Url);
        await response.ShouldBe(HttpStatusCode.OK);
        Assert.Equal(jpeg, await response.Content.ReadAsByteArrayAsync());
        Assert.Equal("image/jpeg", response.Content.Headers.ContentType?.MediaType);
        var disposition = response.Content.Headers.ContentDisposition!;
        Assert.Equal("inline", disposition.DispositionType);
        Assert.Equal("été photo.jpg", disposition.FileNameStar);
    }

    [Fact]
    public async Task OctetStreamUploadIsTypedFromItsBytes()
    {
        using var user = await app.NewUserAsync();
        var image = await user.UploadOkAsync(TestImages.WebP(), "x.bin", "application/octet-stream");
        Assert.Equal("image/webp", image.ContentType);
        Assert.EndsWith(".webp", image.Key);
    }

    [Fact]
    public async Task RejectsPngBytesDeclaredAsJpeg()
    {
        using var user = await app.NewUserAsync();
        var response = await user.UploadAsync(TestImages.Png(), "fake.jpg", "image/jpeg");
        await response.ShouldBeProblem(HttpStatusCode.UnprocessableEntity);
    }

    [Theory]
    [InlineData("<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>", "image/svg+xml")]
    [InlineData("<svg xmlns=\"http://www.w3.org/2000/svg\"/>", "image/png")]
    [InlineData("<!DOCTYPE html><html><script>alert(1)</script></html>", "image/png")]
    [InlineData("GIF8 but not really", "image/gif")]
    public async Task RejectsContentThatIsNotAnAllowedImage(string content, string declared)
    {
        using var user = await app.NewUserAsync();
        var response = await user.UploadAsync(Encoding.UTF8.GetBytes(content), "x.png", declared);
        await response.ShouldBeProblem(HttpStatusCode.UnsupportedMediaType);
    }

    [Fact]
    public async Task RejectsEmptyFile()
    {
        using var user = await app.NewUserAsync();
        await (await user.UploadAsync([], "empty.png")).ShouldBeProblem(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task RejectsHeaderDeclaringTooManyPixelsBeforeDecoding()
    {
        using var user = await app.NewUserAsync();
        var response = await user.UploadAsync(TestImages.PngHeaderOnly(50_000, 50_000), "bomb.png");
        var problem = await response.ShouldBeProblem(HttpStatusCode.UnprocessableEntity);
        Assert.Contains("50000x50000", problem.Detail);
    }

    [Fact]
    public async Task RejectsTypeNotAllowedInCollection()
    {
        using var user = await app.NewUserAsync();
        var response = await user.UploadAsync(TestImages.Jpeg(), "a.jpg", "image/jpeg", collection: "pngonly");
        await response.ShouldBeProblem(HttpStatusCode.UnsupportedMediaType);
        await user.UploadOkAsync(TestImages.Png(), collection: "pngonly");
    }

    [Fact]
    public async Task RejectsUnknownCollection()
    {
        using var user = await app.NewUserAsync();
        await (await user.UploadAsync(TestImages.Png(), collection: "nope")).ShouldBeProblem(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task RefusesFileOverTheLimitAndKeepsNothing()
    {
        using var user = await app.NewUserAsync();
        var before = await app.ObjectKeysAsync();
        var response = await user.UploadAsync(TestImages.PaddedPng(20_001), collection: "small");
        await response.ShouldBeProblem(HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal(before, await app.ObjectKeysAsync());
        Assert.Empty((await user.GetFromJsonOk<ImagePage>("/images")).Items);
        await user.UploadOkAsync(TestImages.PaddedPng(20_000), collection: "small");
    }

    [Fact]
    public async Task RefusesLargeFileOverTheLimitWhileStreaming()
    {
        using var user = await app.NewUserAsync();
        var before = await app.ObjectKeysAsync();
        // Far past the 5 MiB limit: refused as the bytes are counted, without keeping a part.
        var response = await user.UploadAsync(TestImages.PaddedPng(12 * 1024 * 1024));
        await response.ShouldBeProblem(HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal(before, await app.ObjectKeysAsync());
    }

    [Fact]
    public async Task RequestLargerThanAnyCollectionIsRefusedBeforeReading()
    {
        using var user = await app.NewUserAsync();
        // Declares 10 GiB and waits for "100 Continue" as curl does for large bodies: the answer comes first.
        var body = new StreamContent(new ZeroStream(10L * 1024 * 1024 * 1024));
        body.Headers.ContentType = MediaTypeHeaderValue.Parse("multipart/form-data; boundary=b");
        body.Headers.ContentLength = 10L * 1024 * 1024 * 1024;
        var request = new HttpRequestMessage(HttpMethod.Post, "/images/upload") { Content = body };
        request.Headers.ExpectContinue = true;
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var response = await user.SendAsync(request, cts.Token);
        await response.ShouldBeProblem(HttpStatusCode.RequestEntityTooLarge);
    }

    private sealed class ZeroStream(long length) : MediaVault.Storage.ReadOnlyStream
    {
        private long _left = length;

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default)
        {
            var n = (int)Math.Min(buffer.Length, _left);
            buffer.Span[..n].Clear();
            _left -= n;
            return ValueTask.FromResult(n);
        }
    }

    [Fact]
    public async Task StreamsLargeFileToStorageIntact()
    {
        using var user = await app.NewUserAsync();
        var content = TestImages.PaddedPng(40 * 1024 * 1024);
        var image = await user.UploadOkAsync(content, "big.png", collection: "big");
        Assert.Equal(content.Length, image.Size);
        Assert.Equal(content, await ApiExtensions.DownloadAsync(image.Url));
    }

    [Fact]
    public async Task FileNameIsOnlyADisplayName()
    {
        using var user = await app.NewUserAsync();
        var image = await user.UploadOkAsync(TestImages.Png(), "../../etc/pass\u202Ewd\u0000\u0007.png");
        Assert.Equal("passwd.png", image.Filename);
        Assert.DoesNotContain("passwd", image.Key);
        Assert.DoesNotContain("..", image.Key);
    }

    [Fact]
    public async Task LongFileNameIsCutTo255Bytes()
    {
        using var user = await app.NewUserAsync();
        var image = await user.UploadOkAsync(TestImages.Png(), new string('é', 300) + ".png");
        Assert.InRange(Encoding.UTF8.GetByteCount(image.Filename), 1, 255);
    }

    [Fact]
    public async Task BodyThatIsNotMultipartIs415()
    {
        using var user = await app.NewUserAsync();
        var response = await user.PostAsync("/images/upload", new ByteArrayContent(TestImages.Png()) { Headers = { ContentType = new("image/png") } });
        await response.ShouldBeProblem(HttpStatusCode.UnsupportedMediaType);
    }

    [Fact]
    public async Task TruncatedMultipartIs400AndKeepsNothing()
    {
        using var user = await app.NewUserAsync();
        var before = await app.ObjectKeysAsync();
        var body = Encoding.ASCII.GetBytes("--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.png\"\r\nContent-Type: image/png\r\n\r\n")
            .Concat(TestImages.Png()).ToArray(); // no closing boundary
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse("multipart/form-data; boundary=b");
        await (await user.PostAsync("/images/upload", content)).ShouldBeProblem(HttpStatusCode.BadRequest);
        Assert.Equal(before, await app.ObjectKeysAsync());
    }

    [Theory]
    [InlineData("collection", "small")]
    [InlineData("file", "second")]
    public async Task FieldsAfterTheFileThatWouldChangeItAreRefused(string name, string value)
    {
        using var user = await app.NewUserAsync();
        var before = await app.ObjectKeysAsync();
        using var form = new MultipartFormDataContent();
        form.Add(new ByteArrayContent(TestImages.Png()) { Headers = { ContentType = new("image/png") } }, "file", "a.png");
        form.Add(new StringContent(value), name);
        await (await user.PostAsync("/images/upload", form)).ShouldBeProblem(HttpStatusCode.BadRequest);
        Assert.Equal(before, await app.ObjectKeysAsync());
        Assert.Empty((await user.GetFromJsonOk<ImagePage>("/images")).Items);
    }

    [Fact]
    public async Task OtherFieldsAfterTheFileAreIgnored()
    {
        using var user = await app.NewUserAsync();
        using var form = new MultipartFormDataContent();
        form.Add(new ByteArrayContent(TestImages.Png()) { Headers = { ContentType = new("image/png") } }, "file", "a.png");
        form.Add(new StringContent("hello"), "caption");
        await (await user.PostAsync("/images/upload", form)).ShouldBe(HttpStatusCode.Created);
    }

    [Fact]
    public async Task BodyEndingInsideAFieldIs400()
    {
        using var user = await app.NewUserAsync();
        var content = new ByteArrayContent(Encoding.ASCII.GetBytes("--b\r\nContent-Disposition: form-data; name=\"collection\"\r\n\r\nimag"));
        content.Headers.ContentType = MediaTypeHeaderValue.Parse("multipart/form-data; boundary=b");
        await (await user.PostAsync("/images/upload", content)).ShouldBeProblem(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task FormWithoutFileFieldIs400()
    {
        using var user = await app.NewUserAsync();
        using var form = new MultipartFormDataContent { { new StringContent("images"), "collection" } };
        await (await user.PostAsync("/images/upload", form)).ShouldBeProblem(HttpStatusCode.BadRequest);
    }
}

public sealed class LocalProxiedUploadTests(LocalApp app) : ProxiedUploadTests(app), IClassFixture<LocalApp>;

public sealed class S3ProxiedUploadTests(S3App app) : ProxiedUploadTests(app), IClassFixture<S3App>;
