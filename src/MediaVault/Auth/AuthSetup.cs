using System.Security.Claims;
using MediaVault.Data;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace MediaVault.Auth;

internal static class AuthSetup
{
    public const string ApiPolicy = "api";

    public static WebApplicationBuilder AddAuth(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<AuthOptions>().BindConfiguration(AuthOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        // Identity's own lockout is per account (any stranger could lock its owner out): LoginThrottle counts per address instead.
        builder.Services.AddIdentityApiEndpoints<IdentityUser>(o => (o.User.RequireUniqueEmail, o.Lockout.AllowedForNewUsers) = (true, false))
            .AddEntityFrameworkStores<MediaVaultDb>();
        builder.Services.AddOptions<BearerTokenOptions>(IdentityConstants.BearerScheme)
            .Configure<IOptions<AuthOptions>>((o, auth) => o.BearerTokenExpiration = auth.Value.AccessTokenLifetime);
        builder.Services.AddScoped<TokenIssuer>();
        builder.Services.AddScoped<PasswordCheck>();
        builder.Services.AddSingleton<LoginThrottle>();
        builder.Services.AddSingleton<DummyPasswordHash>();
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

    /// <summary>The /images group: bearer auth and no caching of responses that carry signed URLs.</summary>
    public static RouteGroupBuilder MapImagesGroup(this IEndpointRouteBuilder app) => app.MapApiGroup("/images");

    /// <summary>A group of API endpoints: bearer auth, and no caching of what they answer (signed URLs, private data).</summary>
    public static RouteGroupBuilder MapApiGroup(this IEndpointRouteBuilder app, string prefix) =>
        app.MapGroup(prefix)
            .RequireAuthorization(ApiPolicy)
            .AddEndpointFilter(NoStore);

    /// <summary>Tokens and signed URLs must not be kept by any cache.</summary>
    internal static async ValueTask<object?> NoStore(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        context.HttpContext.Response.Headers.CacheControl = "no-store";
        return await next(context);
    }

    public static string UserId(this ClaimsPrincipal user) =>
        user.FindFirstValue(ClaimTypes.NameIdentifier) ?? throw new InvalidOperationException("Authenticated user without an id.");
}
