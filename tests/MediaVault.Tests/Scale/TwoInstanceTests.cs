using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using MediaVault.Tests.Infrastructure;

namespace MediaVault.Tests.Scale;

/// <summary>
/// The service is stateless: two real processes behind a proxy that alternates on every request serve
/// one user as one process would. Each step below that matters is checked to have crossed instances.
/// </summary>
public sealed class TwoInstanceTests(RgwServer rgw)
{
    private const string Password = "Str0ng!Passw0rd";

    [Theory]
    [InlineData(StoreKind.Local)]
    [InlineData(StoreKind.S3)]
    public async Task TwoInstancesServeOneUserWhicheverInstanceEachRequestReaches(StoreKind store)
    {
        await using var cluster = await TwoInstances.StartAsync(store, rgw);
        await cluster.ExplainFailuresAsync(async () =>
        {
            Assert.Empty(await cluster.PendingMigrationsAsync());
            Assert.Equal(1, await cluster.TokenKeysAsync());
            var proxy = cluster.Proxy;
            using var user = new HttpClient { BaseAddress = proxy.Origin };
            var tokens = await RegisterAndLogInAsync(user);
            var loggedInOn = proxy.LastInstance;
            user.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", tokens.AccessToken);

            var png = TestImages.Png();
            var proxied = await user.UploadOkAsync(png);
            Assert.NotEqual(loggedInOn, proxy.LastInstance); // the token one instance made, the other took
            var jpeg = TestImages.Jpeg();
            var put = await DirectUploadAcrossInstancesAsync(cluster, user, jpeg, "image/jpeg", "PUT");
            var gif = TestImages.Gif();
            var post = await DirectUploadAcrossInstancesAsync(cluster, user, gif, "image/gif", "POST");

            Assert.Equal([post.Id, put.Id, proxied.Id], await ListOnePerPageAsync(proxy, user));

            foreach (var (image, sent) in new[] { (proxied, png), (put, jpeg), (post, gif) })
            {
                var signed = await user.GetFromJsonOk<SignedUrl>($"/images/{image.Id}/signed-url");
                var signedOn = proxy.LastInstance;
                Assert.Equal(sent, await ApiExtensions.DownloadAsync(signed.Url));
                if (store == StoreKind.Local)
                {
                    // The local store's URL is the proxy's: the other instance verified the signature.
                    Assert.StartsWith("/storage/", proxy.Hops[^1].Target);
                    Assert.NotEqual(signedOn, proxy.LastInstance);
                }
            }

            await (await user.DeleteAsync($"/images/{proxied.Id}")).ShouldBe(HttpStatusCode.NoContent);
            var deletedOn = proxy.LastInstance;
            await (await user.GetAsync($"/images/{proxied.Id}")).ShouldBe(HttpStatusCode.NotFound);
            Assert.NotEqual(deletedOn, proxy.LastInstance);
            Assert.Equal([post.Id, put.Id], (await user.GetFromJsonOk<ImagePage>("/images")).Items.Select(i => i.Id));

            Assert.True(proxy.ServedBy(0) > 0, "instance A served no request");
            Assert.True(proxy.ServedBy(1) > 0, "instance B served no request");
        });
    }

    [Fact]
    public async Task TokensAndRefreshTokensFromOneInstanceWorkOnTheOther()
    {
        await using var cluster = await TwoInstances.StartAsync(StoreKind.Local, rgw);
        await cluster.ExplainFailuresAsync(async () =>
        {
            using var a = new HttpClient { BaseAddress = cluster.A.BaseAddress };
            using var b = new HttpClient { BaseAddress = cluster.B.BaseAddress };
            var fromA = await RegisterAndLogInAsync(a);

            b.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", fromA.AccessToken);
            await (await b.GetAsync("/images")).ShouldBe(HttpStatusCode.OK);

            var refreshed = await b.PostAsJsonAsync("/auth/refresh", new { refreshToken = fromA.RefreshToken });
            await refreshed.ShouldBe(HttpStatusCode.OK);
            var fromB = (await refreshed.Content.ReadFromJsonAsync<Tokens>())!;
            Assert.NotEqual(fromA.AccessToken, fromB.AccessToken);

            // And back: what B protected, A reads.
            a.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", fromB.AccessToken);
            await (await a.GetAsync("/images")).ShouldBe(HttpStatusCode.OK);
            await (await a.PostAsJsonAsync("/auth/refresh", new { refreshToken = fromB.RefreshToken })).ShouldBe(HttpStatusCode.OK);
        });
    }

    private static async Task<Tokens> RegisterAndLogInAsync(HttpClient client)
    {
        var email = $"user-{Guid.NewGuid():N}@example.com";
        await (await client.PostAsJsonAsync("/auth/register", new { email, password = Password })).ShouldBe(HttpStatusCode.OK);
        var login = await client.PostAsJsonAsync("/auth/login", new { email, password = Password });
        await login.ShouldBe(HttpStatusCode.OK);
        return (await login.Content.ReadFromJsonAsync<Tokens>())!;
    }

    /// <summary>Presigns on one instance and registers the upload on the other.</summary>
    private static async Task<ImageDto> DirectUploadAcrossInstancesAsync(TwoInstances cluster, HttpClient user, byte[] content,
        string filetype, string method)
    {
        var proxy = cluster.Proxy;
        var filename = "photo" + (filetype == "image/jpeg" ? ".jpg" : ".gif");
        var presign = await user.PresignAsync(filename, filetype, content.Length, method: method);
        var presignedOn = proxy.LastInstance;
        Assert.Equal(method, presign.Method);
        var stored = await ApiExtensions.SendToStorageAsync(presign, content);
        Assert.True(stored.IsSuccessStatusCode, $"storage answered {(int)stored.StatusCode}: {await stored.Content.ReadAsStringAsync()}");

        await proxy.SteerToAsync(1 - presignedOn);
        var completed = await user.CompleteAsync(presign.UploadId, filename, filetype);
        await completed.ShouldBe(HttpStatusCode.Created);
        Assert.NotEqual(presignedOn, proxy.LastInstance);
        var image = (await completed.Content.ReadFromJsonAsync<ImageDto>())!;
        Assert.Equal(filetype, image.ContentType);
        Assert.Equal(content.Length, image.Size);
        return image;
    }

    /// <summary>Pages with limit=1, so every cursor one instance made is followed on the other.</summary>
    private static async Task<List<Guid>> ListOnePerPageAsync(RoundRobinProxy proxy, HttpClient user)
    {
        var seen = new List<Guid>();
        string? cursor = null;
        int? previous = null;
        do
        {
            var page = await user.GetFromJsonOk<ImagePage>(cursor is null ? "/images?limit=1" : $"/images?limit=1&cursor={Uri.EscapeDataString(cursor)}");
            Assert.NotEqual(previous, proxy.LastInstance);
            previous = proxy.LastInstance;
            seen.Add(Assert.Single(page.Items).Id);
            cursor = page.NextCursor;
        } while (cursor is not null && seen.Count <= 10); // a bound in case a cursor loops
        return seen;
    }

    private sealed record Tokens(string TokenType, string AccessToken, long ExpiresIn, string RefreshToken);
}
