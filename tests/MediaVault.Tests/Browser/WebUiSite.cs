using System.Net;
using System.Net.Sockets;
using MediaVault.Tests.Infrastructure;

namespace MediaVault.Tests.Browser;

/// <summary>
/// The app serving its own web UI on a fixed loopback port, with one store. On S3 the browser PUTs
/// straight to Ceph RGW from the app's origin, so that origin goes into Cors:AllowedOrigins (which the
/// app writes into the bucket's CORS rules at start-up); the port must be known before the app starts.
/// </summary>
public abstract class WebUiSite(StoreKind store, RgwServer rgw) : IAsyncLifetime
{
    public MediaVaultApplication App { get; private set; } = null!;
    public StoreKind Store => store;

    /// <summary>http://127.0.0.1:PORT: what the browser opens, and the origin storage must allow.</summary>
    public string Origin { get; private set; } = "";

    /// <summary>Where the bytes of a direct upload land (the PUT URL), and signed URLs point.</summary>
    public string StorageBase => store == StoreKind.S3 ? $"{rgw.Endpoint.TrimEnd('/')}/{App.Bucket}/" : $"{Origin}/storage/";

    /// <summary>The storage origin the CSP must name beside 'self' (none on the local store: it is the app).</summary>
    public string? StorageOrigin => store == StoreKind.S3 ? new Uri(rgw.Endpoint).GetLeftPart(UriPartial.Authority) : null;

    /// <summary>Only one store's run writes docs/screenshots, so the pictures in the README do not flip between runs.</summary>
    public bool WritesScreenshots => store == StoreKind.Local;

    public async ValueTask InitializeAsync()
    {
        var port = FreePort();
        Origin = $"http://127.0.0.1:{port}";
        App = new MediaVaultApplication(store, rgw, new Dictionary<string, string?> { ["Cors:AllowedOrigins:0"] = Origin }, port);
        await App.InitializeAsync();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (App is not null) await App.DisposeAsync();
    }
}

public sealed class LocalWebUiSite(RgwServer rgw) : WebUiSite(StoreKind.Local, rgw);

public sealed class S3WebUiSite(RgwServer rgw) : WebUiSite(StoreKind.S3, rgw);
