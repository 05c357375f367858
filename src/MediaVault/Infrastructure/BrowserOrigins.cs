using Microsoft.Extensions.Options;

namespace MediaVault.Infrastructure;

/// <summary>Web pages on other origins that may call the API and upload straight to storage.</summary>
public sealed class BrowserOriginsOptions
{
    public const string Section = "Cors";

    /// <summary>Exact origins (scheme, host, port), e.g. https://app.example.com. No wildcard.</summary>
    public string[] AllowedOrigins { get; set; } = [];
}

internal sealed class ValidateBrowserOrigins : IValidateOptions<BrowserOriginsOptions>
{
    public ValidateOptionsResult Validate(string? name, BrowserOriginsOptions o)
    {
        var wrong = o.AllowedOrigins.Where(origin => !IsOrigin(origin)).ToList();
        return wrong.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(
            $"Cors:AllowedOrigins must list exact origins like https://app.example.com (no wildcard, path or trailing slash), not: {string.Join(", ", wrong)}.");
    }

    private static bool IsOrigin(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
        && value.TrimEnd('/') == uri.GetLeftPart(UriPartial.Authority) && !value.EndsWith('/') && !value.Contains('*');
}

internal static class BrowserOrigins
{
    public const string Policy = "browsers";

    public static WebApplicationBuilder AddBrowserOrigins(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<BrowserOriginsOptions>().BindConfiguration(BrowserOriginsOptions.Section).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<BrowserOriginsOptions>, ValidateBrowserOrigins>();
        var origins = builder.Configuration.GetSection(BrowserOriginsOptions.Section).Get<BrowserOriginsOptions>()?.AllowedOrigins ?? [];
        // Bearer tokens travel in a header, never in cookies: no credentials mode, so exact origins suffice.
        builder.Services.AddCors(o => o.AddDefaultPolicy(p => p
            .WithOrigins(origins)
            .WithMethods("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")
            .AllowAnyHeader()
            .WithExposedHeaders("ETag", "Location", "Retry-After")
            .SetPreflightMaxAge(TimeSpan.FromHours(1))));
        return builder;
    }
}
