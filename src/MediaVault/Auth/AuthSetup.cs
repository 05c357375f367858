using System.Security.Claims;
using MediaVault.Data;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Identity;

namespace MediaVault.Auth;

internal static class AuthSetup
{
    public const string ApiPolicy = "api";

    public static WebApplicationBuilder AddAuth(this WebApplicationBuilder builder)
    {
        builder.Services.AddIdentityApiEndpoints<IdentityUser>(o => o.User.RequireUniqueEmail = true)
            .AddEntityFrameworkStores<MediaVaultDb>();
        // RFC 9110: the scheme name is case-insensitive ("bearer" works too). Still the header only.
        builder.Services.Configure<BearerTokenOptions>(IdentityConstants.BearerScheme, o => o.Events.OnMessageReceived = context =>
        {
            var header = context.Request.Headers.Authorization.ToString();
            if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) context.Token = header[7..].Trim();
            return Task.CompletedTask;
        });
        // The API reads the token from the Authorization header only: no cookies, no query string.
        builder.Services.AddAuthorizationBuilder().AddPolicy(ApiPolicy, p => p
            .AddAuthenticationSchemes(IdentityConstants.BearerScheme)
            .RequireAuthenticatedUser());
        return builder;
    }

    public static IEndpointRouteBuilder MapAuth(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/auth").WithTags("Auth").AddEndpointFilter(NoStore).RequireRateLimiting(Limits.RateLimitSetup.AuthPerIp).MapIdentityApi<IdentityUser>();
        return app;
    }

    /// <summary>The /images group: bearer auth and no caching of responses that carry signed URLs.</summary>
    public static RouteGroupBuilder MapImagesGroup(this IEndpointRouteBuilder app) => app.MapApiGroup("/images");

    /// <summary>A group of API endpoints: bearer auth, and no caching of what they answer (signed URLs, private data).</summary>
    public static RouteGroupBuilder MapApiGroup(this IEndpointRouteBuilder app, string prefix) =>
        app.MapGroup(prefix)
            .RequireAuthorization(ApiPolicy)
            .AddEndpointFilter(NoStore);

    /// <summary>Tokens and signed URLs must not be kept by any cache.</summary>
    private static async ValueTask<object?> NoStore(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        context.HttpContext.Response.Headers.CacheControl = "no-store";
        return await next(context);
    }

    public static string UserId(this ClaimsPrincipal user) =>
        user.FindFirstValue(ClaimTypes.NameIdentifier) ?? throw new InvalidOperationException("Authenticated user without an id.");
}
