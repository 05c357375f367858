namespace MediaVault.Tests.Storage;

public abstract partial class ObjectStoreContract
{
    [Theory]
    [InlineData("../x")]
    [InlineData("a//b")]
    [InlineData("")]
    public async Task InvalidKeysAreRefused(string key)
    {
        var existing = await PutAsync(RandomBytes(100));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.PutAsync(key, new OneWayStream([1]), "image/png", Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.HeadAsync(key, Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.GetAsync(key, null, Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.CopyAsync(key, NewKey(), "image/png", Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.CopyAsync(existing, key, "image/png", Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.DeleteAsync(key, Ct));
        Assert.Throws<ArgumentException>(() => Store.PresignGet(key, Lifetime, null, null));
        Assert.Throws<ArgumentException>(() => Store.PresignPut(key, "image/png", Lifetime));
        Assert.Throws<ArgumentException>(() => Store.PresignPost(key, "image/png", 1000, Lifetime));
        Assert.Throws<ArgumentException>(() => Store.GetPublicUrl(key));
    }

    [Fact]
    public async Task CopyToInvalidKeyIsRefusedEvenWhenSourceIsMissing() =>
        await Assert.ThrowsAsync<ArgumentException>(() => Store.CopyAsync(NewKey(), "../x", "image/png", Ct));
}
