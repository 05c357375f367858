using MediaVault.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace MediaVault.Health;

internal sealed class DatabaseHealthCheck(MediaVaultDb db, DatabaseProvider provider) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(TimeSpan.FromSeconds(5));
        try
        {
            await db.Database.ExecuteSqlRawAsync("SELECT 1", deadline.Token);
            return HealthCheckResult.Healthy($"{provider.Name} answers");
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            // The reason stays in the log; the answer names the part, not the server or its error text.
            return HealthCheckResult.Unhealthy($"{provider.Name} does not answer", e);
        }
    }
}
