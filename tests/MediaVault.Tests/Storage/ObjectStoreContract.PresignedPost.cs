using System.Net;
using MediaVault.Tests.Infrastructure;

namespace MediaVault.Tests.Storage;

public abstract partial class ObjectStoreContract
{
    [Fact]
    public async Task PresignedPostStoresFile()
    {
        var key = NewKey();
        var content = RandomBytes(5000);
        var post = Store.PresignPost(key, "image/webp", maxBytes: 10_000, Lifetime);
        using var response = await SendFormAsync(post, content);
        Assert.True(response.IsSuccessStatusCode, $"storage answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(Ct)}");
        Assert.Equal(content, await ReadAsync(key));
        Assert.Equal("image/webp", (await Store.HeadAsync(key, Ct))?.ContentType);
    }

    [Fact]
    public async Task PresignedPostOfFileLargerThanMaxBytesIsRefusedAndLeavesNoObject()
    {
        var key = NewKey();
        var post = Store.PresignPost(key, "image/webp", maxBytes: 1000, Lifetime);
        using var response = await SendFormAsync(post, RandomBytes(2000));
        await response.ShouldBe(HttpStatusCode.BadRequest);
        Assert.Null(await Store.HeadAsync(key, Ct));
    }

    [Fact]
    public async Task PresignedPostWithChangedContentTypeIsForbidden()
    {
        var post = Store.PresignPost(NewKey(), "image/webp", maxBytes: 10_000, Lifetime);
        using var response = await SendFormAsync(post, RandomBytes(100), new Dictionary<string, string> { ["Content-Type"] = "text/html" });
        await response.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task PresignedPostWithChangedKeyIsForbidden()
    {
        var post = Store.PresignPost(NewKey(), "image/webp", maxBytes: 10_000, Lifetime);
        using var response = await SendFormAsync(post, RandomBytes(100), new Dictionary<string, string> { ["key"] = NewKey() });
        await response.ShouldBe(HttpStatusCode.Forbidden);
    }
}
