using System.Net;
using System.Net.Http.Json;
using System.Text;
using MediaVault.Tests.Infrastructure;

namespace MediaVault.Tests.Accounts;

/// <summary>Refresh tokens work once; logout and a password change end all of them; /auth bodies are bounded.</summary>
public sealed class RefreshTokenTests(LocalApp app) : IClassFixture<LocalApp>
{
    [Fact]
    public async Task AnExchangedRefreshTokenNoLongerWorks()
    {
        using var anon = app.Anonymous();
        var tokens = await anon.LogInOkAsync(await anon.RegisterAsync());
        var first = await anon.RefreshAsync(tokens.RefreshToken);
        await first.ShouldBe(HttpStatusCode.OK);
        var next = (await first.Content.ReadFromJsonAsync<TokenPair>())!;
        Assert.NotEqual(tokens.RefreshToken, next.RefreshToken);

        await (await anon.RefreshAsync(tokens.RefreshToken)).ShouldBeProblem(HttpStatusCode.Unauthorized);
        await (await anon.RefreshAsync(next.RefreshToken)).ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task ConcurrentExchangesOfOneRefreshTokenGiveExactlyOnePair()
    {
        using var anon = app.Anonymous();
        var tokens = await anon.LogInOkAsync(await anon.RegisterAsync());
        var answers = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => anon.RefreshAsync(tokens.RefreshToken)));
        Assert.Single(answers, a => a.StatusCode == HttpStatusCode.OK);
        Assert.All(answers.Where(a => a.StatusCode != HttpStatusCode.OK), a => Assert.Equal(HttpStatusCode.Unauthorized, a.StatusCode));
    }

    [Fact]
    public async Task LogoutEndsEveryRefreshTokenOfTheUser()
    {
        using var anon = app.Anonymous();
        var email = await anon.RegisterAsync();
        var laptop = await anon.LogInOkAsync(email);
        var phone = await anon.LogInOkAsync(email);
        using var client = app.Bearer(laptop);

        await (await client.PostAsync("/auth/logout", null)).ShouldBe(HttpStatusCode.NoContent);

        await (await anon.RefreshAsync(laptop.RefreshToken)).ShouldBeProblem(HttpStatusCode.Unauthorized);
        await (await anon.RefreshAsync(phone.RefreshToken)).ShouldBeProblem(HttpStatusCode.Unauthorized);
        await anon.LogInOkAsync(email); // signing in again still works
    }

    [Fact]
    public async Task APasswordChangeEndsEveryRefreshTokenAndAnswersANewPair()
    {
        using var anon = app.Anonymous();
        var email = await anon.RegisterAsync();
        var other = await anon.LogInOkAsync(email);
        using var client = app.Bearer(await anon.LogInOkAsync(email));
        await (await client.PostAsJsonAsync("/auth/password", new { currentPassword = "Wr0ng!pass", newPassword = "N3w!Passw0rd" }))
            .ShouldBe(HttpStatusCode.BadRequest);

        var changed = await client.PostAsJsonAsync("/auth/password", new { currentPassword = AccountClients.Password, newPassword = "N3w!Passw0rd" });
        await changed.ShouldBe(HttpStatusCode.OK);
        var fresh = (await changed.Content.ReadFromJsonAsync<TokenPair>())!;

        await (await anon.RefreshAsync(other.RefreshToken)).ShouldBeProblem(HttpStatusCode.Unauthorized);
        await (await anon.RefreshAsync(fresh.RefreshToken)).ShouldBe(HttpStatusCode.OK);
        await (await anon.LogInAsync(email)).ShouldBeProblem(HttpStatusCode.Unauthorized);
        await anon.LogInOkAsync(email, "N3w!Passw0rd");
    }

    [Fact]
    public async Task AnExpiredRefreshTokenIsRefused()
    {
        using var anon = app.Anonymous();
        var tokens = await anon.LogInOkAsync(await anon.RegisterAsync());
        app.Clock.Advance(TimeSpan.FromDays(15)); // the default refresh lifetime is 14 days
        await (await anon.RefreshAsync(tokens.RefreshToken)).ShouldBeProblem(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task RegisteringATakenEmailSaysOnlyThatItCannotBeUsed()
    {
        using var anon = app.Anonymous();
        var email = await anon.RegisterAsync();
        var again = await anon.PostAsJsonAsync("/auth/register", new { email, password = AccountClients.Password });
        await again.ShouldBe(HttpStatusCode.BadRequest);
        var body = await again.Content.ReadAsStringAsync();
        Assert.Contains("\"duplicateEmail\"", body);
        Assert.DoesNotContain("duplicateUserName", body, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(email, body);
    }

    [Theory]
    [InlineData("/auth/register", 257, 10)]
    [InlineData("/auth/register", 20, 1025)]
    [InlineData("/auth/login", 257, 10)]
    [InlineData("/auth/login", 20, 1025)]
    public async Task OverlongEmailsAndPasswordsAreBadRequests(string path, int emailLength, int passwordLength)
    {
        using var anon = app.Anonymous();
        var email = new string('a', emailLength - "@example.com".Length) + "@example.com";
        var response = await anon.PostAsJsonAsync(path, new { email, password = "Aa1!" + new string('x', passwordLength - 4) });
        await response.ShouldBeProblem(HttpStatusCode.BadRequest);
    }

    [Theory]
    [InlineData("/auth/register", false)]
    [InlineData("/auth/login", false)]
    [InlineData("/auth/refresh", true)]
    public async Task AuthBodiesOverTheCapAreRefusedWith413(string path, bool chunked)
    {
        using var anon = app.Anonymous();
        var json = $$"""{"email":"a@example.com","password":"x","refreshToken":"x","pad":"{{new string('p', 100_000)}}"}""";
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.TransferEncodingChunked = chunked; // no Content-Length: the cap holds while reading
        var response = await anon.SendAsync(request);
        await response.ShouldBeProblem(HttpStatusCode.RequestEntityTooLarge);
    }
}
