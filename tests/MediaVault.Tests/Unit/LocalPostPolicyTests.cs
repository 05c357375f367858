using System.Buffers.Text;
using System.Text;
using MediaVault.Storage;

namespace MediaVault.Tests.Unit;

public sealed class LocalPostPolicyTests
{
    [Fact]
    public void DecodesWhatItEncoded()
    {
        var policy = new LocalPostPolicy("staging/0192f0c47a1b7c3d8e4fa0b1c2d3e4f5", "image/png", 5 * 1024 * 1024, 1_900_000_000);
        var encoded = LocalPostPolicy.Encode(policy);
        Assert.Matches("^[A-Za-z0-9_-]+$", encoded);
        Assert.Equal(policy, LocalPostPolicy.Decode(encoded));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not base64!")]
    [InlineData("====")]
    [InlineData("e30=x")]
    [InlineData("bm90IGpzb24")]   // "not json"
    [InlineData("WzEsMiwzXQ")]    // [1,2,3]
    [InlineData("eyJLZXkiOg")]    // {"Key":
    public void DecodesGarbageToNull(string? value) => Assert.Null(LocalPostPolicy.Decode(value));

    [Fact]
    public void RefusesToDecodeOverlongValues()
    {
        var huge = new LocalPostPolicy(new string('a', 4000), "image/png", 1, 1);
        Assert.Null(LocalPostPolicy.Decode(LocalPostPolicy.Encode(huge)));
    }

    [Fact]
    public void DecodesJsonOfTheWrongTypesToNull()
    {
        var json = """{"Key":1,"ContentType":"image/png","MaxBytes":"x","Expires":1}""";
        Assert.Null(LocalPostPolicy.Decode(Base64Url.EncodeToString(Encoding.UTF8.GetBytes(json))));
    }
}
