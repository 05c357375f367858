using MediaVault.Storage;

namespace MediaVault.Tests.Unit;

public sealed class StorageKeysTests
{
    private static readonly Guid Id = Guid.Parse("0192f0c4-7a1b-7c3d-8e4f-a0b1c2d3e4f5");

    [Fact]
    public void FinalKeyIsCollectionAndImageIdWithExtensionWithoutTheOwner()
    {
        var key = StorageKeys.Final("images", Id, "png");
        Assert.Equal("images/0192f0c47a1b7c3d8e4fa0b1c2d3e4f5.png", key);
        Assert.True(StorageKeys.IsValid(key));
    }

    [Fact]
    public void LegacyFinalKeyIsCollectionOwnerAndImageIdWithExtension()
    {
        var owner = Guid.NewGuid().ToString();
        Assert.Equal($"images/{owner}/0192f0c47a1b7c3d8e4fa0b1c2d3e4f5.png", StorageKeys.LegacyFinal("images", owner, Id, "png"));
    }

    [Fact]
    public void StagingKeyIsUnderStagingPrefixWithCompactId()
    {
        var key = StorageKeys.Staging(Id);
        Assert.Equal("staging/0192f0c47a1b7c3d8e4fa0b1c2d3e4f5", key);
        Assert.True(StorageKeys.IsValid(key));
    }

    [Theory]
    [InlineData("")]
    [InlineData(".")]
    [InlineData("..")]
    [InlineData("../etc")]
    [InlineData("user/../x")]
    [InlineData("owner.with.dots..")]
    [InlineData("a/b/c\\d")]
    public void LegacyFinalKeyRefusesOwnerIdsThatAreNotKeySafe(string owner) =>
        Assert.Throws<ArgumentException>(() => StorageKeys.LegacyFinal("images", owner, Id, "png"));

    [Fact]
    public void LegacyFinalKeyRefusesAnOwnerIdWithASlash() =>
        Assert.Throws<ArgumentException>(() => StorageKeys.LegacyFinal("images", "a/b", Id, "png"));

    [Theory]
    [InlineData("images/abc/def.png")]
    [InlineData("a")]
    [InlineData("a-b_c.d/e")]
    public void AcceptsRelativeUrlSafeKeys(string key) => Assert.True(StorageKeys.IsValid(key));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("..")]
    [InlineData(".")]
    [InlineData("images/../secret")]
    [InlineData("images/./x")]
    [InlineData("images/..")]
    [InlineData("/images/x")]
    [InlineData("images//x")]
    [InlineData("images/x/")]
    [InlineData("images\\x")]
    [InlineData("images/x\n")]
    [InlineData("images/x\0")]
    [InlineData("images/x\u007f")]
    [InlineData("images/caf\u00e9")]
    [InlineData("images/\u0430bc")]
    [InlineData("images/x y")]
    [InlineData("images/x%2F..")]
    [InlineData("images/x?y")]
    public void RefusesKeysOutsideTheShapeThisServiceMakes(string? key) => Assert.False(StorageKeys.IsValid(key));

    [Fact]
    public void RefusesKeysLongerThan512Characters()
    {
        Assert.True(StorageKeys.IsValid(new string('a', 512)));
        Assert.False(StorageKeys.IsValid(new string('a', 513)));
    }

    [Fact]
    public void CheckedThrowsForAnInvalidKeyAndReturnsAValidOne()
    {
        Assert.Equal("images/x", StorageKeys.Checked("images/x"));
        Assert.Throws<ArgumentException>(() => StorageKeys.Checked("../x"));
    }

    [Theory]
    [InlineData("images/owner/x.png", "images")]
    [InlineData("avatars/o/x.jpg", "avatars")]
    [InlineData("staging/abc", null)]
    [InlineData("noslash", null)]
    [InlineData("/leading", null)]
    public void CollectionOfIsTheFirstSegmentOfAFinalKey(string key, string? expected) =>
        Assert.Equal(expected, StorageKeys.CollectionOf(key));
}
