using MediaVault.Tests.Infrastructure;

namespace MediaVault.Tests.Browser;

/// <summary>
/// The app under test with one store, plus two uploader sites on other loopback ports: one whose
/// origin the app allows (Cors:AllowedOrigins, which also becomes the bucket's CORS rules) and a
/// stranger. The sites start first: the allowed origin must be known before the app starts.
/// </summary>
public abstract class UppySite(StoreKind store, RgwServer rgw) : IAsyncLifetime
{
    public PageServer Allowed { get; } = new();
    public PageServer Stranger { get; } = new();
    public MediaVaultApplication App { get; private set; } = null!;
    public RgwServer Rgw => rgw;

    public async ValueTask InitializeAsync()
    {
        await Allowed.StartAsync();
        await Stranger.StartAsync();
        App = new MediaVaultApplication(store, rgw, new Dictionary<string, string?> { ["Cors:AllowedOrigins:0"] = Allowed.Origin });
        await App.InitializeAsync();
    }

    /// <summary>Where a direct upload of this store lands: the bytes must not pass through the API.</summary>
    public string StorageBase => store == StoreKind.S3 ? $"{rgw.Endpoint.TrimEnd('/')}/{App.Bucket}/" : new Uri(App.BaseAddress, "/storage/").ToString();

    public async ValueTask DisposeAsync()
    {
        if (App is not null) await App.DisposeAsync();
        await Allowed.DisposeAsync();
        await Stranger.DisposeAsync();
    }
}

public sealed class LocalUppySite(RgwServer rgw) : UppySite(StoreKind.Local, rgw);

public sealed class S3UppySite(RgwServer rgw) : UppySite(StoreKind.S3, rgw);
