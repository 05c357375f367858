using System.Security.Cryptography;
using MediaVault.Storage;

namespace MediaVault.Tests.Storage;

public abstract partial class ObjectStoreContract
{
    [Fact]
    public async Task PutThenReadReturnsSameBytes()
    {
        var content = RandomBytes(300_000);
        var key = await PutAsync(content);
        Assert.Equal(content, await ReadAsync(key));
    }

    [Fact]
    public async Task PutLargerThanOnePartThenReadReturnsSameBytes()
    {
        var content = RandomBytes(2 * S3ObjectStore.PartSize + 4 * 1024 * 1024); // 20 MiB: the multipart path
        var key = await PutAsync(content);
        var read = await ReadAsync(key);
        Assert.NotNull(read);
        Assert.Equal(SHA256.HashData(content), SHA256.HashData(read));
    }

    [Theory]
    [InlineData(64 * 1024)]
    [InlineData(12 * 1024 * 1024)] // after the first S3 part went up
    public async Task PutWhoseSourceThrowsMidwayLeavesNoObject(int failAfter)
    {
        var key = NewKey();
        var source = new OneWayStream(RandomBytes(20 * 1024 * 1024), failAfter);
        await Assert.ThrowsAnyAsync<Exception>(() => Store.PutAsync(key, source, "image/png", Ct));
        Assert.Null(await Store.HeadAsync(key, Ct));
    }

    [Fact]
    public async Task HeadReturnsSizeAndContentType()
    {
        var key = await PutAsync(RandomBytes(12_345), "image/webp");
        var info = await Store.HeadAsync(key, Ct);
        Assert.NotNull(info);
        Assert.Equal(12_345, info.Size);
        Assert.Equal("image/webp", info.ContentType);
    }

    [Fact]
    public async Task HeadReturnsTheETagThatPutReturned()
    {
        var key = NewKey();
        var put = await Store.PutAsync(key, new OneWayStream(RandomBytes(1000)), "image/png", Ct);
        Assert.NotEmpty(put.ETag);
        Assert.Equal(put.ETag, (await Store.HeadAsync(key, Ct))?.ETag);
    }

    [Fact]
    public async Task HeadOfMissingKeyReturnsNull() => Assert.Null(await Store.HeadAsync(NewKey(), Ct));

    [Fact]
    public async Task GetReturnsWholeObjectWithItsContentType()
    {
        var content = RandomBytes(5000);
        var key = await PutAsync(content, "image/gif");
        await using var got = await Store.GetAsync(key, null, Ct);
        Assert.NotNull(got);
        Assert.Equal("image/gif", got.Info.ContentType);
        using var buffer = new MemoryStream();
        await got.Body.CopyToAsync(buffer, Ct);
        Assert.Equal(content, buffer.ToArray());
    }

    [Fact]
    public async Task RangedGetReturnsInclusiveByteRange()
    {
        var content = RandomBytes(5000);
        var key = await PutAsync(content);
        Assert.Equal(content[100..200], await ReadAsync(key, new ByteRange(100, 199)));
    }

    [Fact]
    public async Task GetOfMissingKeyReturnsNull() => Assert.Null(await Store.GetAsync(NewKey(), null, Ct));
}
