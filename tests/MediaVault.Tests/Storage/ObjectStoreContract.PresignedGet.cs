using System.Net;
using System.Net.Http.Headers;
using MediaVault.Tests.Infrastructure;

namespace MediaVault.Tests.Storage;

public abstract partial class ObjectStoreContract
{
    [Fact]
    public async Task PresignedGetServesBytesWithPinnedContentTypeAndDisposition()
    {
        var content = RandomBytes(5000);
        var key = await PutAsync(content, "application/octet-stream");
        const string disposition = "attachment; filename=\"photo.png\"";
        var url = Store.PresignGet(key, Lifetime, "image/png", disposition).Url;
        using var response = await SendAsync(HttpMethod.Get, url);
        await response.ShouldBe(HttpStatusCode.OK);
        Assert.Equal(content, await response.Content.ReadAsByteArrayAsync(Ct));
        Assert.Equal("image/png", response.Content.Headers.ContentType?.ToString());
        Assert.Equal(disposition, Assert.Single(response.Content.Headers.NonValidated["Content-Disposition"]));
    }

    [Fact]
    public async Task PresignedGetWithRangeHeaderReturns206WithThatRange()
    {
        var content = RandomBytes(5000);
        var key = await PutAsync(content);
        var url = Store.PresignGet(key, Lifetime, null, null).Url;
        using var response = await SendAsync(HttpMethod.Get, url, range: new RangeHeaderValue(100, 199));
        await response.ShouldBe(HttpStatusCode.PartialContent);
        Assert.Equal(content[100..200], await response.Content.ReadAsByteArrayAsync(Ct));
    }

    [Fact]
    public async Task PresignedGetWithTamperedSignatureIsForbidden()
    {
        var key = await PutAsync(RandomBytes(100));
        var url = Store.PresignGet(key, Lifetime, null, null).Url;
        using var response = await SendAsync(HttpMethod.Get, TamperSignature(url));
        await response.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task PresignedGetForAnotherKeyIsForbidden()
    {
        var key = await PutAsync(RandomBytes(100));
        var other = await PutAsync(RandomBytes(100));
        var url = Store.PresignGet(key, Lifetime, null, null).Url;
        using var response = await SendAsync(HttpMethod.Get, new Uri(url.AbsoluteUri.Replace(key, other)));
        await response.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task PresignedGetUsedToPutIsForbidden()
    {
        var key = await PutAsync(RandomBytes(100));
        var url = Store.PresignGet(key, Lifetime, null, null).Url;
        using var response = await SendAsync(HttpMethod.Put, url, RandomBytes(100), "image/png");
        await response.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task PresignedGetWorksUntilItExpiresThenIsForbidden()
    {
        var key = await PutAsync(RandomBytes(100));
        var presigned = Store.PresignGet(key, ShortLifetime, null, null);
        using (var fresh = await SendAsync(HttpMethod.Get, presigned.Url)) await fresh.ShouldBe(HttpStatusCode.OK);
        await WaitPastAsync(presigned.ExpiresAt);
        using var expired = await SendAsync(HttpMethod.Get, presigned.Url);
        await expired.ShouldBe(HttpStatusCode.Forbidden);
    }
}
