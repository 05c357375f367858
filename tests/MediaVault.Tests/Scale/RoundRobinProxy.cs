using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MediaVault.Tests.Scale;

/// <summary>
/// A load balancer at its most unkind to state kept in one process: every request goes to the other
/// instance than the one before. Forwards method, raw target, end-to-end headers and the streamed
/// body both ways, and records which instance served what, so a test can prove a step crossed over.
/// </summary>
public sealed class RoundRobinProxy : IAsyncDisposable
{
    /// <summary>Which instance answered, on every response (the proxy's own header).</summary>
    public const string InstanceHeader = "X-Proxy-Instance";

    // Hop-by-hop fields (RFC 9110 7.6.1) belong to one connection; Host is the upstream's own.
    private static readonly HashSet<string> NotForwarded = new(StringComparer.OrdinalIgnoreCase)
    {
        "Connection", "Keep-Alive", "Proxy-Connection", "Proxy-Authenticate", "Proxy-Authorization",
        "TE", "Trailer", "Transfer-Encoding", "Upgrade", "Expect", "Host",
    };

    private readonly WebApplication _app;
    private readonly HttpClient _upstream = new(new SocketsHttpHandler
    {
        UseProxy = false, AllowAutoRedirect = false, UseCookies = false, AutomaticDecompression = DecompressionMethods.None,
    }) { Timeout = TimeSpan.FromSeconds(60) };
    private readonly HttpClient _self = new(new SocketsHttpHandler { UseProxy = false });
    private readonly Lock _gate = new();
    private readonly List<Hop> _hops = [];
    private Uri[] _instances = [];
    private int _next;

    public sealed record Hop(string Method, string Target, int Instance, int Status);

    private RoundRobinProxy(WebApplication app) => _app = app;

    public Uri Origin { get; private set; } = null!;

    public int NextInstance { get { lock (_gate) return _next; } }

    public int LastInstance { get { lock (_gate) return _hops[^1].Instance; } }

    public IReadOnlyList<Hop> Hops { get { lock (_gate) return [.. _hops]; } }

    public int ServedBy(int instance) => Hops.Count(h => h.Instance == instance);

    /// <summary>Starts listening first: the instances need the proxy's origin in their configuration.</summary>
    public static async Task<RoundRobinProxy> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(IPAddress.Loopback, 0);
            k.Limits.MaxRequestBodySize = null; // the instances apply their own limits
        });
        var app = builder.Build();
        var proxy = new RoundRobinProxy(app);
        app.Run(proxy.ForwardAsync);
        await app.StartAsync();
        proxy.Origin = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        return proxy;
    }

    public void Forward(params Uri[] instances)
    {
        lock (_gate) _instances = instances;
    }

    /// <summary>Makes the next request go to <paramref name="instance"/>, by sending GET /health through
    /// the proxy when needed: alternation itself is never broken.</summary>
    public async Task SteerToAsync(int instance)
    {
        if (NextInstance != instance) (await _self.GetAsync(new Uri(Origin, "/health"))).EnsureSuccessStatusCode();
    }

    private async Task ForwardAsync(HttpContext context)
    {
        int instance;
        Uri upstream;
        lock (_gate)
        {
            instance = _next;
            upstream = _instances[instance];
            _next = (_next + 1) % _instances.Length;
        }
        var method = context.Request.Method;
        // The raw target, not a re-encoded path: signed URLs must reach the instance byte for byte.
        var target = context.Features.Get<IHttpRequestFeature>()!.RawTarget;
        using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(upstream.GetLeftPart(UriPartial.Authority) + target));
        if (context.Request.ContentLength > 0 || context.Request.Headers.TransferEncoding.Count > 0)
            request.Content = new StreamContent(context.Request.Body);
        var connectionTokens = context.Request.Headers.Connection.SelectMany(v => v!.Split(',', StringSplitOptions.TrimEntries)).ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, values) in context.Request.Headers)
        {
            if (NotForwarded.Contains(name) || connectionTokens.Contains(name)) continue;
            if (!request.Headers.TryAddWithoutValidation(name, values.ToArray()))
                request.Content?.Headers.TryAddWithoutValidation(name, values.ToArray());
        }

        HttpResponseMessage response;
        try { response = await _upstream.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, context.RequestAborted); }
        catch (HttpRequestException)
        {
            Record(method, target, instance, StatusCodes.Status502BadGateway);
            context.Response.StatusCode = StatusCodes.Status502BadGateway;
            return;
        }
        using (response)
        {
            Record(method, target, instance, (int)response.StatusCode);
            context.Response.StatusCode = (int)response.StatusCode;
            var bodyless = response.StatusCode is HttpStatusCode.NoContent or HttpStatusCode.NotModified;
            foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
            {
                if (NotForwarded.Contains(name) || (bodyless && name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))) continue;
                context.Response.Headers[name] = values.ToArray();
            }
            context.Response.Headers[InstanceHeader] = instance.ToString();
            if (!bodyless && !HttpMethods.IsHead(method))
                await response.Content.CopyToAsync(context.Response.Body, context.RequestAborted);
        }
    }

    private void Record(string method, string target, int instance, int status)
    {
        lock (_gate) _hops.Add(new Hop(method, target, instance, status));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _upstream.Dispose();
        _self.Dispose();
    }
}
