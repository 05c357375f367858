namespace MediaVault.Infrastructure;

internal static class Hosting
{
    public const string DefaultUrl = "http://127.0.0.1:5080";

    /// <summary>
    /// The embedded default address, only when none of the standard ways named one: ASPNETCORE_URLS,
    /// ASPNETCORE_HTTP_PORTS (what container images set), --urls, Urls (or MediaVault__Urls), Kestrel
    /// endpoints. A default in appsettings.json would win over the environment and silently ignore them.
    /// </summary>
    public static WebApplicationBuilder UseDefaultUrlUnlessConfigured(this WebApplicationBuilder builder)
    {
        var c = builder.Configuration;
        var named = new[] { "urls", "http_ports", "https_ports" }.Any(k => !string.IsNullOrWhiteSpace(c[k]))
            || c.GetSection("Kestrel:Endpoints").Exists();
        if (!named) builder.WebHost.UseUrls(DefaultUrl);
        return builder;
    }
}
