using System.Net;
using MediaVault.Tests.Infrastructure;

namespace MediaVault.Tests.Apps;

/// <summary>Products, profiles and the community are for signed-in users only: a stranger gets 401 and changes nothing.</summary>
public abstract class AnonymousTests(MediaVaultApplication app)
{
    [Fact]
    public async Task EveryEndpointIs401WithoutATokenAndChangesNothing()
    {
        using var owner = await app.NewUserAsync();
        var image = await owner.UploadOkAsync(TestImages.Png());
        var product = await owner.CreateProductOkAsync("Private", [image.Id]);
        var keys = await app.ObjectKeysAsync();
        using var stranger = app.Anonymous();
        using var forged = app.Anonymous();
        forged.DefaultRequestHeaders.Authorization = new("Bearer", "not-a-token");

        foreach (var client in new[] { stranger, forged })
        foreach (var id in new[] { product.Id, Guid.NewGuid() })
        {
            var requests = new Func<Task<HttpResponseMessage>>[]
            {
                () => client.GetAsync("/products"),
                () => client.GetAsync($"/products/{id}"),
                () => client.PostAsync("/products", AppsApi.Json($$"""{"name":"x","imageIds":{{AppsApi.Ids(image.Id)}}}""")),
                () => client.CreateProductMultipartAsync("x", [new(TestImages.Png())]),
                () => client.PatchAsync($"/products/{id}", AppsApi.Json("""{"name":"Taken"}""")),
                () => client.DeleteAsync($"/products/{id}"),
                () => client.GetAsync("/profile"),
                () => client.PutProfileAsync("""{"displayName":"x"}"""),
                () => client.UploadPictureAsync(TestImages.Png()),
                () => client.GetAsync("/community"),
            };
            foreach (var send in requests)
            {
                var response = await send();
                Assert.True(response.StatusCode == HttpStatusCode.Unauthorized,
                    $"{response.RequestMessage!.Method} {response.RequestMessage.RequestUri}: {(int)response.StatusCode}");
            }
        }

        AppsApi.AssertSameProduct(product, await owner.GetFromJsonOk<ProductDto>($"/products/{product.Id}"));
        Assert.Equal(keys, await app.ObjectKeysAsync());
    }

    [Fact]
    public async Task ATokenInTheQueryStringIsNotAccepted()
    {
        using var user = await app.NewUserAsync();
        var token = user.DefaultRequestHeaders.Authorization!.Parameter;
        using var stranger = app.Anonymous();
        foreach (var path in new[] { "/products", "/profile", "/community" })
            Assert.Equal(HttpStatusCode.Unauthorized, (await stranger.GetAsync($"{path}?access_token={token}")).StatusCode);
    }
}

public sealed class LocalAnonymousTests(LocalApp app) : AnonymousTests(app), IClassFixture<LocalApp>;

public sealed class S3AnonymousTests(S3App app) : AnonymousTests(app), IClassFixture<S3App>;
