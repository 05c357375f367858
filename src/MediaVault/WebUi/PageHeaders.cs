using MediaVault.Storage;

namespace MediaVault.WebUi;

/// <summary>The headers of every UI response: a Content-Security-Policy that allows what the pages
/// use and nothing else, no sniffing, no referrer (signed URLs must not leak), and revalidation.</summary>
internal static class PageHeaders
{
    public static void Apply(HttpContext context)
    {
        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy(StorageOrigins(context));
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        // Files keep their names from one release to the next: the browser must ask each time
        // (a 304 thanks to the ETag), or it would run an old app.js against a new API.
        headers.CacheControl = "no-cache";
    }

    public static string ContentSecurityPolicy(IReadOnlyCollection<string> storageOrigins)
    {
        var storage = string.Concat(storageOrigins.Select(o => " " + o));
        return string.Join("; ",
            "default-src 'none'",
            "script-src 'self'",
            "style-src 'self'",
            // blob: for Uppy's thumbnails of files not yet uploaded; data: for the icons in its stylesheet.
            $"img-src 'self' blob: data:{storage}",
            // The uploads go straight to storage (a pre-signed PUT).
            $"connect-src 'self'{storage}",
            "object-src 'none'",
            "base-uri 'none'",
            "frame-ancestors 'none'",
            "form-action 'self'");
    }

    /// <summary>Origins the store hands out URLs on (PUT, signed GET, public GET), other than the page's own.
    /// Asked of the store itself, so a CDN base, a virtual-host bucket or a local PublicBaseUrl are all covered.</summary>
    public static IReadOnlyCollection<string> StorageOrigins(HttpContext context)
    {
        var store = context.RequestServices.GetRequiredService<IObjectStore>();
        const string probe = "images/csp-probe.png";
        var lifetime = TimeSpan.FromMinutes(1);
        Uri[] urls = [store.PresignPut(probe, "image/png", lifetime).Url, store.PresignGet(probe, lifetime, null, null).Url, store.GetPublicUrl(probe)];
        var self = $"{context.Request.Scheme}://{context.Request.Host}";
        return urls.Select(u => u.GetLeftPart(UriPartial.Authority))
            .Where(o => !string.Equals(o, self, StringComparison.OrdinalIgnoreCase))
            .Distinct(StringComparer.OrdinalIgnoreCase).ToList();
    }
}
