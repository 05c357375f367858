using System.Net;
using MediaVault.Tests.Infrastructure;

namespace MediaVault.Tests.Storage;

public abstract partial class ObjectStoreContract
{
    [Fact]
    public async Task PresignedPutWithSignedContentTypeStoresObjectAndReturnsETag()
    {
        var key = NewKey();
        var content = RandomBytes(5000);
        var presigned = Store.PresignPut(key, "image/jpeg", Lifetime);
        Assert.Equal("PUT", presigned.Method);
        using var response = await SendAsync(HttpMethod.Put, presigned.Url, content, presigned.Headers["Content-Type"]);
        await response.ShouldBe(HttpStatusCode.OK);
        Assert.True(response.Headers.NonValidated.Contains("ETag"), "no ETag header");
        Assert.Equal(content, await ReadAsync(key));
        Assert.Equal("image/jpeg", (await Store.HeadAsync(key, Ct))?.ContentType);
    }

    [Fact]
    public async Task PresignedPutWithAnotherContentTypeIsForbidden()
    {
        var presigned = Store.PresignPut(NewKey(), "image/jpeg", Lifetime);
        using var response = await SendAsync(HttpMethod.Put, presigned.Url, RandomBytes(100), "text/html");
        await response.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task PresignedPutWithoutContentTypeIsForbidden()
    {
        var presigned = Store.PresignPut(NewKey(), "image/jpeg", Lifetime);
        using var response = await SendAsync(HttpMethod.Put, presigned.Url, RandomBytes(100));
        await response.ShouldBe(HttpStatusCode.Forbidden);
    }
}
