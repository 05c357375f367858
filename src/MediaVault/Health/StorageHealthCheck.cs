using MediaVault.Storage;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace MediaVault.Health;

internal sealed class StorageHealthCheck(IObjectStore store, IOptions<StorageOptions> options) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct)
    {
        try
        {
            // A key nobody writes: "not found" is the healthy answer; the store's deadline bounds the wait.
            await store.HeadAsync("health/probe", ct);
            return HealthCheckResult.Healthy($"{options.Value.Provider} store answers");
        }
        catch (StorageUnavailableException e)
        {
            return HealthCheckResult.Unhealthy($"{options.Value.Provider} store does not answer", e);
        }
    }
}
