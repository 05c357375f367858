using MediaVault.Storage;

namespace MediaVault.Tests.Unit;

public sealed class SigV4QueryPresignerTests
{
    // The worked example of a presigned GET in Amazon S3's documentation (Signature Version 4, query
    // string authentication): examplebucket/test.txt, 2013-05-24 00:00:00 UTC, 86400 s, us-east-1.
    [Fact]
    public void ReproducesTheDocumentedExampleSignature()
    {
        var url = new SigV4QueryPresigner("us-east-1").Presign("GET", "https", "examplebucket.s3.amazonaws.com", "/test.txt", [],
            new DateTimeOffset(2013, 5, 24, 0, 0, 0, TimeSpan.Zero), TimeSpan.FromSeconds(86400),
            "AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", null);

        Assert.EndsWith("X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404", url);
        Assert.StartsWith("https://examplebucket.s3.amazonaws.com/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host", url);
    }

    [Fact]
    public void SignsTheContentTypeAsAHeaderWhenGiven()
    {
        var presigner = new SigV4QueryPresigner("us-east-1");
        var now = new DateTimeOffset(2013, 5, 24, 0, 0, 0, TimeSpan.Zero);
        string Sign(string? type) => presigner.Presign("PUT", "http", "127.0.0.1:7480", "/b/k", [], now, TimeSpan.FromMinutes(5),
            "AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", null, type);

        Assert.Contains("X-Amz-SignedHeaders=content-type%3Bhost", Sign("image/png"));
        Assert.Contains("X-Amz-SignedHeaders=host", Sign(null));
        Assert.NotEqual(Sign("image/png")[^64..], Sign("image/jpeg")[^64..]);
    }

    [Theory]
    [InlineData("abcXYZ019-_.~", "abcXYZ019-_.~")]
    [InlineData("a b", "a%20b")]
    [InlineData("inline; filename*=UTF-8''é", "inline%3B%20filename%2A%3DUTF-8%27%27%C3%A9")]
    [InlineData("a/b+c=", "a%2Fb%2Bc%3D")]
    public void EncodesAsSigV4Wants(string value, string expected) =>
        Assert.Equal(expected, SigV4QueryPresigner.Encode(value));
}
