using MediaVault.Tests.Infrastructure;

namespace MediaVault.Tests.Limits;

/// <summary>A test app of its own with some limits set low (the shared test apps lift them all).</summary>
internal static class LimitedApp
{
    public static async Task<MediaVaultApplication> StartAsync(StoreKind store, RgwServer rgw, params (string Key, string Value)[] settings)
    {
        var app = new MediaVaultApplication(store, rgw, settings.ToDictionary(s => s.Key, s => (string?)s.Value));
        await app.InitializeAsync();
        return app;
    }

    /// <summary>Asserts a 429 problem that says when to retry.</summary>
    public static async Task ShouldBeRateLimited(this HttpResponseMessage response)
    {
        var problem = await response.ShouldBeProblem(System.Net.HttpStatusCode.TooManyRequests);
        Assert.Equal("Too many requests", problem.Title);
        var retryAfter = response.Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        Assert.InRange(retryAfter.Value, TimeSpan.FromSeconds(1), TimeSpan.FromHours(1));
    }
}
