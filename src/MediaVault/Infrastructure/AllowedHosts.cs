using Microsoft.AspNetCore.HostFiltering;
using Microsoft.Extensions.Primitives;

namespace MediaVault.Infrastructure;

/// <summary>AllowedHosts (semicolon-separated, "*.example.com" patterns, "*" for any) checked inside the
/// app's pipeline, so a refused Host is a 400 problem like every other refusal; the framework's own host
/// filter, which answers before the pipeline with a page of its own, is left open.</summary>
internal static class AllowedHosts
{
    public static WebApplicationBuilder AddAllowedHosts(this WebApplicationBuilder builder)
    {
        var patterns = (builder.Configuration["AllowedHosts"] ?? "*")
            .Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(p => new StringSegment(p)).ToList();
        builder.Services.PostConfigure<HostFilteringOptions>(o => o.AllowedHosts = ["*"]);
        builder.Services.AddSingleton(new Patterns(patterns.Count == 0 || patterns.Any(p => p == "*") ? null : patterns));
        return builder;
    }

    public static WebApplication UseAllowedHosts(this WebApplication app)
    {
        var allowed = app.Services.GetRequiredService<Patterns>().List;
        if (allowed is null) return app;
        app.Use(async (context, next) =>
        {
            var host = context.Request.Host;
            // An empty Host (HTTP/1.0) passes, as in the framework's filter; a URL built from it is refused where it is built.
            if (!host.HasValue || HostString.MatchesAny(new StringSegment(host.Host), allowed))
            {
                await next(context);
                return;
            }
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
            {
                HttpContext = context,
                ProblemDetails = { Status = 400, Title = "Host not allowed", Detail = "This service does not answer on that host name (AllowedHosts)." },
            });
        });
        return app;
    }

    private sealed record Patterns(IList<StringSegment>? List);
}
