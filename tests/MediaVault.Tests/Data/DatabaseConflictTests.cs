using System.Net;
using System.Net.Http.Json;
using MediaVault.Tests.Infrastructure;

namespace MediaVault.Tests.Data;

/// <summary>Races that end in a unique violation get the same answer on either database: never a 5xx.</summary>
public sealed class DatabaseConflictTests(LocalApp app) : IClassFixture<LocalApp>
{
    [Fact]
    public async Task ConcurrentRegistrationsOfOneEmailCreateOneAccountAndNoServerError()
    {
        var email = $"race-{Guid.NewGuid():N}@example.com";
        using var anon = app.Anonymous();
        var answers = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ =>
            anon.PostAsJsonAsync("/auth/register", new { email, password = "Str0ng!Passw0rd" })));

        var statuses = answers.Select(a => (int)a.StatusCode).ToList();
        Assert.Equal(1, statuses.Count(s => s == 200));
        Assert.All(statuses.Where(s => s != 200), s => Assert.True(s is 400 or 409, $"got {s}: {string.Join(",", statuses)}"));
        using var login = await anon.PostAsJsonAsync("/auth/login", new { email, password = "Str0ng!Passw0rd" });
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
    }
}
