using MediaVault.Tests.Infrastructure;
using MediaVault.Tests.Scale;

namespace MediaVault.Tests.Api;

/// <summary>The standard ways to choose where the app listens all work (a container's port setting is
/// not silently overridden), and what the app writes to disk is its own user's alone.</summary>
public sealed class HostingTests(RgwServer rgw)
{
    [Theory]
    [InlineData("ASPNETCORE_URLS")]
    [InlineData("ASPNETCORE_HTTP_PORTS")]
    [InlineData("--urls")]
    [InlineData("MediaVault__Urls")]
    public async Task EachStandardWayOfChoosingThePortIsHonoured(string how)
    {
        var dir = Path.Combine(Path.GetTempPath(), "mediavault-hosting-" + Guid.NewGuid().ToString("N")[..8]);
        var environment = new Dictionary<string, string>
        {
            ["MediaVault__Database__ConnectionString"] = $"Data Source={Path.Combine(dir, "mv.db")}",
            ["MediaVault__Storage__Local__Root"] = Path.Combine(dir, "storage"),
        };
        try
        {
            // AppProcess waits for GET /health/ready on 127.0.0.1 at the port given here: the start is the proof.
            await using var app = await AppProcess.StartAsync(how, environment, TimeSpan.FromSeconds(60), port => how switch
            {
                "ASPNETCORE_URLS" => (new Dictionary<string, string> { ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}" }, []),
                "ASPNETCORE_HTTP_PORTS" => (new Dictionary<string, string> { ["ASPNETCORE_HTTP_PORTS"] = port.ToString() }, []),
                "--urls" => (new Dictionary<string, string>(), ["--urls", $"http://127.0.0.1:{port}"]),
                _ => (new Dictionary<string, string> { ["MediaVault__Urls"] = $"http://127.0.0.1:{port}" }, []),
            });
            using var http = new HttpClient { BaseAddress = app.BaseAddress };
            (await http.GetAsync("/health/live")).EnsureSuccessStatusCode();
        }
        finally
        {
            try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
        }
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")] // Unix file modes
    public async Task SigningKeyAndDatabaseFileAreReadableByTheAppsUserOnly()
    {
        await using var app = new MediaVaultApplication(StoreKind.Local, rgw, database: DatabaseKind.Sqlite);
        await app.InitializeAsync();
        using var user = await app.NewUserAsync();
        await user.UploadOkAsync(TestImages.Png()); // a write, so the WAL exists too
        const UnixFileMode others = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite;
        foreach (var file in new[] { "test.db", "test.db-wal", Path.Combine("storage", "signing.key") })
        {
            var path = Path.Combine(app.DataDirectory, file);
            Assert.True(File.Exists(path), path);
            Assert.Equal((UnixFileMode)0, File.GetUnixFileMode(path) & others);
        }
    }
}
