using MediaVault.Storage;

namespace MediaVault.Tests.Storage;

public abstract partial class ObjectStoreContract
{
    [Fact]
    public async Task ListsKeysUnderAPrefixInByteOrder()
    {
        var root = $"list-{Guid.NewGuid():N}";
        // '-' (0x2D) sorts before '/' (0x2F) and upper case before lower case: S3's order, byte by byte.
        string[] keys = [$"{root}/b", $"{root}/a/y/z", $"{root}/a-b", $"{root}/A", $"{root}/a/x"];
        foreach (var (key, i) in keys.Select((k, i) => (k, i)))
            await Store.PutAsync(key, new OneWayStream(RandomBytes(10 + i)), "image/png", Ct);
        await Store.PutAsync($"{root}x/outside", new OneWayStream(RandomBytes(5)), "image/png", Ct);

        var listed = new List<StoredObject>();
        await foreach (var o in Store.ListAsync(root + "/", Ct)) listed.Add(o);

        Assert.Equal(keys.Order(StringComparer.Ordinal), listed.Select(o => o.Key));
        Assert.Equal(10 + Array.IndexOf(keys, $"{root}/a-b"), listed.Single(o => o.Key == $"{root}/a-b").Size);
        Assert.All(listed, o => Assert.InRange(o.LastModified, DateTimeOffset.UtcNow.AddMinutes(-10), DateTimeOffset.UtcNow.AddMinutes(10)));
    }

    [Fact]
    public async Task ListingAPrefixWithNothingUnderItIsEmpty()
    {
        await foreach (var o in Store.ListAsync($"nothing-{Guid.NewGuid():N}/", Ct)) Assert.Fail($"listed {o.Key}");
    }

    [Fact]
    public async Task DeletedObjectsAreNotListed()
    {
        var root = $"list-{Guid.NewGuid():N}";
        await Store.PutAsync($"{root}/kept", new OneWayStream(RandomBytes(10)), "image/png", Ct);
        await Store.PutAsync($"{root}/gone", new OneWayStream(RandomBytes(10)), "image/png", Ct);
        await Store.DeleteAsync($"{root}/gone", Ct);
        var listed = new List<string>();
        await foreach (var o in Store.ListAsync(root + "/", Ct)) listed.Add(o.Key);
        Assert.Equal([$"{root}/kept"], listed);
    }
}
