using System.Net;
using MediaVault.Tests.Infrastructure;

namespace MediaVault.Tests.Accounts;

/// <summary>Sign-in tells nobody which e-mails exist, and a stranger's failures lock out only the stranger.</summary>
public sealed class LoginTests(LockoutApp app) : IClassFixture<LockoutApp>
{
    [Fact]
    public async Task AWrongPasswordAndAMissingAccountGetTheSameReplyAndTheSameWork()
    {
        using var anon = app.Anonymous();
        var email = await anon.RegisterAsync();

        var before = app.HashVerifications;
        using var wrong = await anon.LogInAsync(email, "Wr0ng!pass");
        var forWrong = app.HashVerifications - before;
        before = app.HashVerifications;
        using var missing = await anon.LogInAsync($"nobody-{Guid.NewGuid():N}@example.com", "Wr0ng!pass");
        var forMissing = app.HashVerifications - before;

        await wrong.ShouldBeProblem(HttpStatusCode.Unauthorized);
        Assert.Equal(wrong.StatusCode, missing.StatusCode);
        Assert.Equal(wrong.Content.Headers.ContentType, missing.Content.Headers.ContentType);
        Assert.Equal(await wrong.Content.ReadAsByteArrayAsync(), await missing.Content.ReadAsByteArrayAsync());
        // The time a sign-in takes is the hash verification: one each, account or not.
        Assert.Equal(1, forWrong);
        Assert.Equal(1, forMissing);
    }

    [Fact]
    public async Task FailuresFromOneAddressDoNotLockTheOwnerOutFromAnother()
    {
        using var owner = app.From("127.0.0.1");
        using var stranger = app.From("127.0.0.2");
        var email = await owner.RegisterAsync();

        for (var i = 0; i < 3; i++) await (await stranger.LogInAsync(email, "Wr0ng!pass")).ShouldBeProblem(HttpStatusCode.Unauthorized);
        var locked = await stranger.LogInAsync(email); // even the right password, from there
        await locked.ShouldBeProblem(HttpStatusCode.TooManyRequests);
        Assert.NotNull(locked.Headers.RetryAfter);

        await owner.LogInOkAsync(email);

        app.Clock.Advance(TimeSpan.FromMinutes(11)); // past Auth:LockoutDuration
        await stranger.LogInOkAsync(email);
    }

    [Fact]
    public async Task AMissingAccountLocksOutExactlyLikeAnExistingOne()
    {
        using var stranger = app.From("127.0.0.3");
        using var anon = app.Anonymous();
        var existing = await anon.RegisterAsync();
        var missing = $"nobody-{Guid.NewGuid():N}@example.com";
        var replies = new List<(HttpStatusCode, string)>[] { [], [] };
        foreach (var (email, i) in new[] { (existing, 0), (missing, 1) })
            for (var n = 0; n < 4; n++)
            {
                using var response = await stranger.LogInAsync(email, "Wr0ng!pass");
                replies[i].Add((response.StatusCode, await response.Content.ReadAsStringAsync()));
            }
        Assert.Equal(replies[0], replies[1]);
        Assert.Equal(HttpStatusCode.TooManyRequests, replies[0][^1].Item1);
    }

    [Fact]
    public async Task FailedSignInsAndLockoutsAreLoggedWithTheAddressAndWithoutThePassword()
    {
        using var stranger = app.From("127.0.0.4");
        using var anon = app.Anonymous();
        var email = await anon.RegisterAsync();
        const string guess = "Gu3ss!Secret-Value";
        for (var i = 0; i < 4; i++) await stranger.LogInAsync(email, guess);
        var tokens = await anon.LogInOkAsync(email);

        var lines = app.Log.Where(l => l.Contains(email)).ToList();
        Assert.Contains(lines, l => l.Contains("failed") && l.Contains("127.0.0.4"));
        Assert.Contains(lines, l => l.Contains("locked out") && l.Contains("127.0.0.4"));
        Assert.DoesNotContain(app.Log, l => l.Contains(guess) || l.Contains(AccountClients.Password)
            || l.Contains(tokens.AccessToken) || l.Contains(tokens.RefreshToken));
    }
}
