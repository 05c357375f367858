namespace MediaVault.Tests.Storage;

public abstract partial class ObjectStoreContract
{
    [Fact]
    public async Task CopyDuplicatesObjectUnderNewContentType()
    {
        var content = RandomBytes(5000);
        var source = await PutAsync(content, "application/octet-stream");
        var destination = NewKey();
        Assert.True(await Store.CopyAsync(source, destination, "image/jpeg", Ct));
        Assert.Equal(content, await ReadAsync(destination));
        Assert.Equal("image/jpeg", (await Store.HeadAsync(destination, Ct))?.ContentType);
    }

    [Fact]
    public async Task CopyOfMissingSourceReturnsFalse() =>
        Assert.False(await Store.CopyAsync(NewKey(), NewKey(), "image/jpeg", Ct));

    [Fact]
    public async Task DeleteRemovesObject()
    {
        var key = await PutAsync(RandomBytes(100));
        await Store.DeleteAsync(key, Ct);
        Assert.Null(await Store.HeadAsync(key, Ct));
    }

    [Fact]
    public async Task DeletingMissingKeyDoesNotThrow() => await Store.DeleteAsync(NewKey(), Ct);
}
