using System.Globalization;
using System.Threading.RateLimiting;
using MediaVault.Auth;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace MediaVault.Limits;

/// <summary>ASP.NET Core's rate limiter with the policies the endpoints name, limits from <see cref="RateLimitOptions"/>.</summary>
internal static class RateLimitSetup
{
    /// <summary>Per client IP: every /auth endpoint.</summary>
    public const string AuthPerIp = "auth-per-ip";
    /// <summary>Per client IP: the local store's anonymous /storage endpoints.</summary>
    public const string StoragePerIp = "storage-per-ip";
    /// <summary>Per user: presign, register and proxied uploads.</summary>
    public const string UploadsPerUser = "uploads-per-user";
    /// <summary>Per user, only for multipart requests (POST /products takes JSON or files).</summary>
    public const string MultipartUploadsPerUser = "multipart-uploads-per-user";
    /// <summary>Per user: requests that mint signed URLs.</summary>
    public const string SignedUrlsPerUser = "signed-urls-per-user";

    private const int Segments = 6;

    public static WebApplicationBuilder AddRateLimits(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<RateLimitOptions>().BindConfiguration(RateLimitOptions.Section).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<RateLimitOptions>, ValidateRateLimitOptions>();
        builder.Services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.OnRejected = RejectAsync;
            o.AddPolicy(AuthPerIp, context => PerIp(context, Limits(context).AuthPerIp));
            o.AddPolicy(StoragePerIp, context => PerIp(context, Limits(context).StoragePerIp));
            o.AddPolicy(UploadsPerUser, context => PerUser(context, Limits(context).UploadsPerUser));
            o.AddPolicy(MultipartUploadsPerUser, context => context.Request.HasFormContentType
                ? PerUser(context, Limits(context).UploadsPerUser)
                : RateLimitPartition.GetNoLimiter(""));
            o.AddPolicy(SignedUrlsPerUser, context => PerUser(context, Limits(context).SignedUrlsPerUser));
        });
        return builder;
    }

    /// <summary>After authentication and authorization: per-user limits need the user, and a stranger's
    /// request without a token is a 401 before it counts against anyone.</summary>
    public static WebApplication UseRateLimits(this WebApplication app)
    {
        app.UseRateLimiter();
        return app;
    }

    private static RateLimitOptions Limits(HttpContext context) =>
        context.RequestServices.GetRequiredService<IOptions<RateLimitOptions>>().Value;

    // Behind a proxy the client IP is the proxy's unless ForwardedHeaders is set up (see the README).
    private static RateLimitPartition<string> PerIp(HttpContext context, RateLimit limit) =>
        Sliding("ip:" + (context.Connection.RemoteIpAddress?.ToString() ?? "unknown"), limit);

    private static RateLimitPartition<string> PerUser(HttpContext context, RateLimit limit) =>
        context.User.Identity?.IsAuthenticated == true
            ? Sliding("user:" + context.User.UserId(), limit)
            : PerIp(context, limit);

    private static RateLimitPartition<string> Sliding(string key, RateLimit limit) =>
        RateLimitPartition.GetSlidingWindowLimiter(key, _ => new SlidingWindowRateLimiterOptions
        {
            PermitLimit = limit.PermitLimit,
            Window = limit.Window,
            SegmentsPerWindow = Segments,
            QueueLimit = 0, // refuse at once: a queued request holds a connection and tells the client nothing
        });

    private static async ValueTask RejectAsync(OnRejectedContext rejected, CancellationToken ct)
    {
        var http = rejected.HttpContext;
        // The sliding window frees permits one segment at a time; its lease does not always say when.
        var after = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : SegmentOf(http);
        var seconds = Math.Max(1, (int)Math.Ceiling(after.TotalSeconds));
        http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        http.Response.Headers.CacheControl = "no-store";
        var problems = http.RequestServices.GetRequiredService<IProblemDetailsService>();
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails =
            {
                Status = StatusCodes.Status429TooManyRequests,
                Title = "Too many requests",
                Detail = $"This rate limit is used up; retry after {seconds} s.",
                Type = "https://www.rfc-editor.org/rfc/rfc6585#section-4",
            },
        });
    }

    /// <summary>A segment of the window of the policy that refused (the shortest, when unknown).</summary>
    private static TimeSpan SegmentOf(HttpContext http)
    {
        var limits = Limits(http);
        var policy = http.GetEndpoint()?.Metadata.GetMetadata<EnableRateLimitingAttribute>()?.PolicyName;
        var window = policy switch
        {
            AuthPerIp => limits.AuthPerIp.Window,
            StoragePerIp => limits.StoragePerIp.Window,
            UploadsPerUser or MultipartUploadsPerUser => limits.UploadsPerUser.Window,
            SignedUrlsPerUser => limits.SignedUrlsPerUser.Window,
            _ => TimeSpan.FromSeconds(1),
        };
        return window / Segments;
    }
}
