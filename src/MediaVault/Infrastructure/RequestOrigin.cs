namespace MediaVault.Infrastructure;

/// <summary>The origin a client reached this request on, for URLs built from the request when no public
/// origin is configured. A missing, empty or malformed Host is the client's fault: a 400, never a 500.</summary>
internal static class RequestOrigin
{
    public static string Of(HttpRequest request)
    {
        var host = request.Host;
        if (!host.HasValue || string.IsNullOrEmpty(host.Host)
            || !Uri.TryCreate($"{request.Scheme}://{host.Value}/", UriKind.Absolute, out var uri)
            || uri.UserInfo.Length > 0 || uri.PathAndQuery != "/" || uri.Fragment.Length > 0 || uri.HostNameType == UriHostNameType.Unknown)
            throw new BadHttpRequestException(
                "The Host header is missing or malformed, and this service builds URLs from it (Storage:Local:PublicBaseUrl is not set).",
                StatusCodes.Status400BadRequest);
        return $"{request.Scheme}://{host.Value}{request.PathBase}";
    }
}
