namespace MediaVault.Infrastructure;

/// <summary>Headers on every answer: no sniffing, no referrer (signed URLs must not leak), never framed,
/// and no Server banner. Pages and stored objects set a fuller Content-Security-Policy of their own.</summary>
internal static class SecurityHeaders
{
    public const string ApiContentSecurityPolicy = "default-src 'none'; frame-ancestors 'none'";
    // The interactive reference at /docs is a page with scripts of its own: it is only kept out of frames.
    private const string DocsContentSecurityPolicy = "frame-ancestors 'none'";

    public static WebApplicationBuilder AddSecurityHeaders(this WebApplicationBuilder builder)
    {
        builder.WebHost.ConfigureKestrel(o => o.AddServerHeader = false);
        return builder;
    }

    public static WebApplication UseSecurityHeaders(this WebApplication app)
    {
        app.Use((context, next) =>
        {
            // At the start of the answer, so error pages (the exception handler clears headers) carry them too.
            context.Response.OnStarting(static state =>
            {
                var http = (HttpContext)state;
                var headers = http.Response.Headers;
                headers.TryAdd("X-Content-Type-Options", "nosniff");
                headers.TryAdd("Referrer-Policy", "no-referrer");
                headers.TryAdd("Content-Security-Policy",
                    http.Request.Path.StartsWithSegments("/docs") ? DocsContentSecurityPolicy : ApiContentSecurityPolicy);
                return Task.CompletedTask;
            }, context);
            return next(context);
        });
        return app;
    }
}
