using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using MediaVault.Tests.Infrastructure;

namespace MediaVault.Tests.Api;

public sealed class AuthTests(LocalApp app) : IClassFixture<LocalApp>
{
    public static TheoryData<string, string> Endpoints => new()
    {
        { "GET", "/images" },
        { "GET", $"/images/{Guid.NewGuid()}" },
        { "DELETE", $"/images/{Guid.NewGuid()}" },
        { "GET", $"/images/{Guid.NewGuid()}/signed-url" },
        { "GET", "/images/signed-url?key=images/x/y.png" },
        { "POST", "/images" },
        { "POST", "/images/presign-upload" },
        { "POST", "/images/upload" },
    };

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task ImagesEndpointsRequireABearerToken(string method, string path)
    {
        using var anonymous = app.Anonymous();
        var response = await anonymous.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));
        await response.ShouldBeProblem(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task InvalidTokenIsRefused()
    {
        using var client = app.Anonymous();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "not-a-token");
        await (await client.GetAsync("/images")).ShouldBeProblem(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task TokenIsReadFromTheHeaderOnly()
    {
        using var user = await app.NewUserAsync();
        var token = user.DefaultRequestHeaders.Authorization!.Parameter!;
        using var anonymous = app.Anonymous();
        await (await anonymous.GetAsync($"/images?access_token={token}")).ShouldBeProblem(HttpStatusCode.Unauthorized);
        var cookie = new HttpRequestMessage(HttpMethod.Get, "/images") { Headers = { { "Cookie", $".AspNetCore.Identity.Application={token}" } } };
        await (await anonymous.SendAsync(cookie)).ShouldBeProblem(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task LoginAnswersTheTokenContractAndRefreshWorks()
    {
        using var anonymous = app.Anonymous();
        var credentials = new { email = $"u{Guid.NewGuid():N}@example.com", password = "Str0ng!Passw0rd" };
        await (await anonymous.PostAsJsonAsync("/auth/register", credentials)).ShouldBe(HttpStatusCode.OK);
        var login = await (await anonymous.PostAsJsonAsync("/auth/login", credentials)).Content.ReadFromJsonAsync<Token>();
        Assert.Equal("Bearer", login!.TokenType);
        Assert.True(login.ExpiresIn > 0);

        var refreshed = await anonymous.PostAsJsonAsync("/auth/refresh", new { refreshToken = login.RefreshToken });
        await refreshed.ShouldBe(HttpStatusCode.OK);
        var token = await refreshed.Content.ReadFromJsonAsync<Token>();
        anonymous.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token!.AccessToken);
        await (await anonymous.GetAsync("/images")).ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task SchemeNameIsCaseInsensitive()
    {
        using var user = await app.NewUserAsync();
        using var client = app.Anonymous();
        client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", "bearer " + user.DefaultRequestHeaders.Authorization!.Parameter);
        await (await client.GetAsync("/images")).ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task TokensAreNotCached()
    {
        using var anonymous = app.Anonymous();
        var credentials = new { email = $"u{Guid.NewGuid():N}@example.com", password = "Str0ng!Passw0rd" };
        await anonymous.PostAsJsonAsync("/auth/register", credentials);
        var login = await anonymous.PostAsJsonAsync("/auth/login", credentials);
        Assert.True(login.Headers.CacheControl?.NoStore);
    }

    [Fact]
    public async Task WrongPasswordIsUnauthorized()
    {
        using var anonymous = app.Anonymous();
        var response = await anonymous.PostAsJsonAsync("/auth/login", new { email = "nobody@example.com", password = "Wr0ng!pass" });
        await response.ShouldBeProblem(HttpStatusCode.Unauthorized);
    }

    private sealed record Token(string TokenType, string AccessToken, long ExpiresIn, string RefreshToken);
}
