using System.Net;
using MediaVault.Tests.Infrastructure;

namespace MediaVault.Tests.Api;

public sealed class SmokeTests(RgwServer rgw)
{
    [Theory]
    [InlineData(StoreKind.Local)]
    [InlineData(StoreKind.S3)]
    public async Task UploadsAndReadsBack(StoreKind store)
    {
        await using var app = new MediaVaultApplication(store, rgw);
        await app.InitializeAsync();
        using var user = await app.NewUserAsync();
        var png = TestImages.Png();
        var image = await user.UploadOkAsync(png);
        Assert.Equal(png, await ApiExtensions.DownloadAsync(image.Url));
        var direct = await user.DirectUploadOkAsync(TestImages.Jpeg(), "image/jpeg");
        Assert.Equal("image/jpeg", direct.ContentType);
        var post = await user.DirectUploadOkAsync(TestImages.Gif(), "image/gif", method: "POST");
        Assert.Equal("image/gif", post.ContentType);
        var resp = await ApiExtensions.FetchAsync(post.Url);
        Assert.Equal(HttpStatusCode.OK, resp.StatusCode);
    }
}
