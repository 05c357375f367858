using System.Security.Cryptography;
using MediaVault.Storage;

namespace MediaVault.Tests.Unit;

public sealed class UrlSignerTests
{
    private const string Key = "images/owner/0192f0c47a1b7c3d8e4fa0b1c2d3e4f5.png";
    private const long Expires = 1_900_000_000;
    private const string Disposition = "inline; filename=\"cat.png\"; filename*=UTF-8''cat.png";
    private readonly UrlSigner _signer = new(RandomNumberGenerator.GetBytes(32));

    [Fact]
    public void VerifiesWhatItSigned()
    {
        var signature = _signer.Sign("GET", Key, Expires, "image/png", Disposition);
        Assert.Matches("^[0-9a-f]{64}$", signature);
        Assert.True(_signer.Verify("GET", Key, Expires, "image/png", Disposition, signature));
    }

    [Fact]
    public void RefusesTheSameSignatureSpelledInUppercase()
    {
        var signature = _signer.Sign("GET", Key, Expires, "image/png", Disposition);
        Assert.False(_signer.Verify("GET", Key, Expires, "image/png", Disposition, signature.ToUpperInvariant()));
    }

    [Fact]
    public void VerifiesASignatureMadeWithoutContentTypeOrDisposition()
    {
        var signature = _signer.Sign("PUT", Key, Expires, null, null);
        Assert.True(_signer.Verify("PUT", Key, Expires, null, null, signature));
    }

    [Theory]
    [InlineData("PUT", Key, Expires, "image/png", Disposition)]
    [InlineData("get", Key, Expires, "image/png", Disposition)]
    [InlineData("GET", Key + "x", Expires, "image/png", Disposition)]
    [InlineData("GET", "images/other/0192f0c47a1b7c3d8e4fa0b1c2d3e4f5.png", Expires, "image/png", Disposition)]
    [InlineData("GET", Key, Expires + 1, "image/png", Disposition)]
    [InlineData("GET", Key, Expires, "text/html", Disposition)]
    [InlineData("GET", Key, Expires, null, Disposition)]
    [InlineData("GET", Key, Expires, "image/png", "attachment")]
    [InlineData("GET", Key, Expires, "image/png", null)]
    [InlineData("GET", Key, Expires, "image/png", Disposition + "\n")]
    public void RefusesTheSignatureWhenAnyPartChanges(string method, string key, long expires, string? contentType, string? disposition)
    {
        var signature = _signer.Sign("GET", Key, Expires, "image/png", Disposition);
        Assert.False(_signer.Verify(method, key, expires, contentType, disposition, signature));
    }

    [Fact]
    public void RefusesASignatureWithAnyCharacterChanged()
    {
        var signature = _signer.Sign("GET", Key, Expires, "image/png", Disposition);
        for (var i = 0; i < signature.Length; i++)
        {
            var changed = signature[..i] + (signature[i] == '0' ? '1' : '0') + signature[(i + 1)..];
            Assert.False(_signer.Verify("GET", Key, Expires, "image/png", Disposition, changed));
        }
    }

    [Fact]
    public void RefusesASignatureMadeWithAnotherKey()
    {
        var other = new UrlSigner(RandomNumberGenerator.GetBytes(32));
        Assert.False(_signer.Verify("GET", Key, Expires, null, null, other.Sign("GET", Key, Expires, null, null)));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde")]
    [InlineData("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0")]
    [InlineData("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdeg")]
    [InlineData("zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz")]
    [InlineData("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcd  ")]
    public void RefusesSignaturesOfTheWrongLengthOrNotHex(string? signature)
    {
        Assert.False(_signer.Verify("GET", Key, Expires, null, null, signature));
        Assert.False(_signer.VerifyPolicy("e30", signature));
    }

    [Fact]
    public void RefusesAWrongLengthPrefixOfTheRealSignature()
    {
        var signature = _signer.Sign("GET", Key, Expires, null, null);
        Assert.False(_signer.Verify("GET", Key, Expires, null, null, signature[..62]));
        Assert.False(_signer.Verify("GET", Key, Expires, null, null, signature + "00"));
    }

    [Fact]
    public void VerifiesASignedPolicyAndRefusesAnyOtherPolicy()
    {
        var signature = _signer.SignPolicy("eyJLZXkiOiJzdGFnaW5nL2FiYyJ9");
        Assert.True(_signer.VerifyPolicy("eyJLZXkiOiJzdGFnaW5nL2FiYyJ9", signature));
        Assert.False(_signer.VerifyPolicy("eyJLZXkiOiJzdGFnaW5nL2FiZCJ9", signature));
        Assert.False(new UrlSigner(RandomNumberGenerator.GetBytes(32)).VerifyPolicy("eyJLZXkiOiJzdGFnaW5nL2FiYyJ9", signature));
    }

    [Fact]
    public void APolicySignatureIsNotAUrlSignature()
    {
        // A POST URL for key K and a policy equal to K must not share a signature.
        var policySignature = _signer.SignPolicy(Key);
        Assert.False(_signer.Verify("POST", Key, Expires, null, null, policySignature));
        Assert.False(_signer.VerifyPolicy(Key, _signer.Sign("POST", Key, Expires, null, null)));
    }
}
