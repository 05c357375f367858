using MediaVault.Cleanup;
using MediaVault.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace MediaVault.Health;

internal static class HealthSetup
{
    public static WebApplicationBuilder AddHealth(this WebApplicationBuilder builder)
    {
        builder.Services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>("database", tags: ["ready"])
            .AddCheck<StorageHealthCheck>("storage", tags: ["ready"]);
        return builder;
    }

    public sealed record CheckDto(string Status, string? Detail);

    public sealed record AuditDto(DateTimeOffset At, long ObjectsChecked, long ObjectsWithoutRows, long RowsWithoutObjects);

    public sealed record HealthDto(string Status, IReadOnlyDictionary<string, CheckDto> Checks, AuditDto? Audit);

    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/health").WithTags("Health").AddEndpointFilter(async (context, next) =>
        {
            context.HttpContext.Response.Headers.CacheControl = "no-store";
            return await next(context);
        });
        group.MapGet("/", () => TypedResults.Ok(new { status = "ok" })).ExcludeFromDescription();
        group.MapGet("/live", GetLiveness).WithName(nameof(GetLiveness)).WithSummary("200 while the process runs.").NeedsNoDependencies();
        group.MapGet("/ready", GetReadiness).WithName(nameof(GetReadiness))
            .WithSummary("Whether the database and storage answer (503 when one does not), and the last storage audit.")
            .Produces<HealthDto>(StatusCodes.Status503ServiceUnavailable);
        return app;
    }

    private static Ok<HealthDto> GetLiveness() => TypedResults.Ok(new HealthDto("Healthy", new Dictionary<string, CheckDto>(), null));

    private static async Task<Results<Ok<HealthDto>, JsonHttpResult<HealthDto>>> GetReadiness(
        HealthCheckService health, StorageAudit audit, CancellationToken ct)
    {
        var report = await health.CheckHealthAsync(c => c.Tags.Contains("ready"), ct);
        var last = audit.Last;
        var dto = new HealthDto(report.Status.ToString(),
            report.Entries.ToDictionary(e => e.Key, e => new CheckDto(e.Value.Status.ToString(), e.Value.Description)),
            last is null ? null : new AuditDto(last.At, last.ObjectsChecked, last.ObjectsWithoutRows, last.RowsWithoutObjects));
        return report.Status == HealthStatus.Healthy
            ? TypedResults.Ok(dto)
            : TypedResults.Json(dto, statusCode: StatusCodes.Status503ServiceUnavailable);
    }
}
