using System.Net;
using System.Net.Sockets;
using MediaVault.Tests.Infrastructure;

namespace MediaVault.Tests.Storage;

/// <summary>
/// The app with the local store for the contract suite. The store signs URLs outside any request here,
/// so it needs its public origin up front: a free loopback port, chosen before Kestrel starts.
/// </summary>
public sealed class LocalStoreApp : MediaVaultApplication
{
    public LocalStoreApp(RgwServer rgw) : this(rgw, FreeLoopbackPort()) { }

    private LocalStoreApp(RgwServer rgw, int port)
        : base(StoreKind.Local, rgw, new Dictionary<string, string?> { ["Storage:Local:PublicBaseUrl"] = $"http://127.0.0.1:{port}" }, port) { }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
