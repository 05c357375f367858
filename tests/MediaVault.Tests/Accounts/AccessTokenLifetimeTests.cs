using System.Net;
using MediaVault.Tests.Infrastructure;

namespace MediaVault.Tests.Accounts;

/// <summary>The app as shipped (the test app lengthens tokens to an hour): access tokens live 15 minutes.</summary>
public sealed class ShippedTokenLifetimeApp(RgwServer rgw)
    : MediaVaultApplication(StoreKind.Local, rgw, new Dictionary<string, string?> { ["Auth:AccessTokenLifetime"] = null });

public sealed class AccessTokenLifetimeTests(ShippedTokenLifetimeApp app) : IClassFixture<ShippedTokenLifetimeApp>
{
    [Fact]
    public async Task AccessTokensLiveFifteenMinutesByDefault()
    {
        using var anon = app.Anonymous();
        var tokens = await anon.LogInOkAsync(await anon.RegisterAsync());
        Assert.Equal(15 * 60, tokens.ExpiresIn);
        using var client = app.Bearer(tokens);
        app.Clock.Advance(TimeSpan.FromMinutes(14));
        await (await client.GetAsync("/images")).ShouldBe(HttpStatusCode.OK);
        app.Clock.Advance(TimeSpan.FromMinutes(2));
        await (await client.GetAsync("/images")).ShouldBeProblem(HttpStatusCode.Unauthorized);
        await (await anon.RefreshAsync(tokens.RefreshToken)).ShouldBe(HttpStatusCode.OK);
    }
}
