using MediaVault.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MediaVault.Limits;

internal static class UsageApi
{
    public static IEndpointRouteBuilder MapUsage(this IEndpointRouteBuilder app)
    {
        app.MapApiGroup("/account").WithTags("Account")
            .MapGet("/usage", GetUsage).WithName(nameof(GetUsage)).WithSummary("What the caller stores and may store: files, bytes, outstanding uploads.");
        return app;
    }

    public sealed record Measure(long Used, long Limit);
    public sealed record UsageDto(Measure Files, Measure Bytes, Measure OutstandingUploads);

    private static async Task<Ok<UsageDto>> GetUsage(HttpContext http, Quotas quotas, CancellationToken ct)
    {
        var usage = await quotas.ReadAsync(http.User.UserId(), ct);
        var limits = quotas.Limits;
        return TypedResults.Ok(new UsageDto(new(usage.Files, limits.Files), new(usage.Bytes, limits.Bytes),
            new(usage.OutstandingUploads, limits.OutstandingUploads)));
    }
}
