using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace MediaVault.Tests.Infrastructure;

public enum StoreKind { Local, S3 }

/// <summary>
/// The real app on a real Kestrel port, with a fresh SQLite file and a fresh store (a temp folder, or
/// a new bucket on the suite's Ceph RGW). Clients talk to it over HTTP as any stranger would, so the
/// absolute URLs it hands out (local signed URLs included) are used as they are.
/// </summary>
public class MediaVaultApplication : WebApplicationFactory<Program>, IAsyncLifetime
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "mediavault-test-" + Guid.NewGuid().ToString("N")[..12]);
    private readonly Dictionary<string, string?> _settings;

    public MediaVaultApplication(StoreKind store, RgwServer rgw, IDictionary<string, string?>? settings = null, int port = 0,
        DatabaseKind? database = null)
    {
        Store = store;
        _rgw = rgw;
        Database = database ?? PostgresServer.PassDatabase;
        Bucket = "mv-" + Guid.NewGuid().ToString("N")[..20];
        _settings = new()
        {
            ["Database:ConnectionString"] = $"Data Source={Path.Combine(_dir, "test.db")}",
            ["Storage:Provider"] = store.ToString(),
            ["Storage:Local:Root"] = Path.Combine(_dir, "storage"),
            ["Storage:S3:Bucket"] = Bucket,
            ["Storage:S3:ServiceUrl"] = rgw.Endpoint,
            ["Storage:S3:Region"] = rgw.Region,
            ["Storage:S3:CreateBucket"] = "true",
            // Collections the tests need beside the default "images" (5 MiB, JPEG/PNG/GIF/WebP, 1 h).
            ["Media:Collections:small:MaxBytes"] = "20000",
            ["Media:Collections:pngonly:AllowedTypes:0"] = "image/png",
            ["Media:Collections:public:Visibility"] = "Public",
            ["Media:Collections:short:UrlLifetime"] = "00:05:00",
            ["Media:Collections:big:MaxBytes"] = (64L * 1024 * 1024).ToString(),
            ["Cors:AllowedOrigins:0"] = TrustedOrigin,
            // Tests run clean-up themselves; a background run woken by the fake clock would race them.
            ["Cleanup:Interval"] = "1.00:00:00",
            // Tests jump the fake clock by up to an hour between logins (AccessTokenLifetimeTests checks the 15-minute default).
            ["Auth:AccessTokenLifetime"] = "01:00:00",
            ["Auth:MaxFailedLogins"] = "1000",
            // The suite registers and uploads a lot from one IP: limits and quotas lifted (their tests set them low).
            ["RateLimits:AuthPerIp:PermitLimit"] = "1000000000", ["RateLimits:StoragePerIp:PermitLimit"] = "1000000000",
            ["RateLimits:UploadsPerUser:PermitLimit"] = "1000000000", ["RateLimits:SignedUrlsPerUser:PermitLimit"] = "1000000000",
            ["Quotas:Files"] = "1000000000", ["Quotas:Bytes"] = "1000000000000000", ["Quotas:OutstandingUploads"] = "1000000000",
        };
        // A null setting drops the test default, so the app's own default applies.
        foreach (var (k, v) in settings ?? new Dictionary<string, string?>())
            if (v is null) _settings.Remove(k); else _settings[k] = v;
        _ownDatabaseGiven = settings?.ContainsKey("Database:ConnectionString") == true;
        UseKestrel(port);
    }

    private readonly bool _ownDatabaseGiven;
    private readonly RgwServer _rgw;

    /// <summary>A second instance over this one's database and store (started, with its own clock and port),
    /// as a second machine behind a balancer would be.</summary>
    public async Task<MediaVaultApplication> AnotherInstanceAsync()
    {
        var other = new MediaVaultApplication(Store, _rgw, new Dictionary<string, string?>
        {
            ["Database:ConnectionString"] = _settings["Database:ConnectionString"],
            ["Storage:Local:Root"] = _settings["Storage:Local:Root"],
            ["Storage:S3:Bucket"] = Bucket,
        }, database: Database);
        // One time for both (a fake clock only moves forward).
        if (Clock.GetUtcNow() > other.Clock.GetUtcNow()) other.Clock.SetUtcNow(Clock.GetUtcNow());
        else Clock.SetUtcNow(other.Clock.GetUtcNow());
        await other.InitializeAsync();
        return other;
    }

    public DatabaseKind Database { get; }

    /// <summary>The browser origin the test apps allow (Cors:AllowedOrigins).</summary>
    public const string TrustedOrigin = "http://uploader.example.test";

    /// <summary>The app's own PostgreSQL database (made in <see cref="InitializeAsync"/>), when it runs on PostgreSQL.</summary>
    public string? PostgresConnectionString { get; private set; }

    public StoreKind Store { get; }
    public string Bucket { get; }
    public FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);
    public string DataDirectory => _dir;
    public Uri BaseAddress { get; private set; } = null!;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        foreach (var (key, value) in _settings) builder.UseSetting(key, value);
        builder.ConfigureServices(s =>
        {
            s.AddSingleton<TimeProvider>(Clock);
            // Tests make hundreds of users: one hash iteration instead of 100,000 (tests only).
            s.Configure<PasswordHasherOptions>(o => o.IterationCount = 1);
        });
    }

    public async ValueTask InitializeAsync()
    {
        Directory.CreateDirectory(_dir);
        if (Database == DatabaseKind.PostgreSQL)
        {
            _settings["Database:Provider"] = "PostgreSQL";
            // A database of its own, unless the test points the app at one (several instances share it).
            if (!_ownDatabaseGiven)
            {
                PostgresConnectionString = await PostgresServer.Current.CreateDatabaseAsync();
                _settings["Database:ConnectionString"] = PostgresConnectionString;
            }
        }
        StartServer();
        var address = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseAddress = new Uri(address.Replace("[::]", "127.0.0.1").Replace("0.0.0.0", "127.0.0.1"));
    }

    /// <summary>An HTTP client with no credentials, like a stranger's.</summary>
    public HttpClient Anonymous() => new() { BaseAddress = BaseAddress };

    /// <summary>Registers a new user and returns a client that sends their bearer token.</summary>
    public async Task<HttpClient> NewUserAsync()
    {
        var email = $"user-{Guid.NewGuid():N}@example.com";
        using var anon = Anonymous();
        (await anon.PostAsJsonAsync("/auth/register", new { email, password = Password })).EnsureSuccessStatusCode();
        var client = Anonymous();
        _emails.Add(client, email);
        await LogInAgainAsync(client);
        return client;
    }

    /// <summary>A new token for a client made by <see cref="NewUserAsync"/> (after the fake clock outran the old one).</summary>
    public async Task LogInAgainAsync(HttpClient client)
    {
        using var anon = Anonymous();
        var login = await anon.PostAsJsonAsync("/auth/login", new { email = _emails.GetValue(client, _ => ""), password = Password });
        login.EnsureSuccessStatusCode();
        var token = (await login.Content.ReadFromJsonAsync<LoginResponse>())!;
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.AccessToken);
    }

    private const string Password = "Str0ng!Passw0rd";
    private readonly System.Runtime.CompilerServices.ConditionalWeakTable<HttpClient, string> _emails = new();

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (PostgresConnectionString is not null) await PostgresServer.Current.DropDatabaseAsync(PostgresConnectionString);
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
        GC.SuppressFinalize(this);
    }

    private sealed record LoginResponse(string TokenType, string AccessToken, long ExpiresIn, string RefreshToken);
}

public sealed class LocalApp(RgwServer rgw) : MediaVaultApplication(StoreKind.Local, rgw);

public sealed class S3App(RgwServer rgw) : MediaVaultApplication(StoreKind.S3, rgw);
