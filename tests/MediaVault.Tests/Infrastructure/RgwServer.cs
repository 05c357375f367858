[assembly: AssemblyFixture(typeof(MediaVault.Tests.Infrastructure.RgwServer))]

namespace MediaVault.Tests.Infrastructure;

/// <summary>
/// The real S3 server for the suite: the Ceph RGW that scripts/test.sh started (MEDIAVAULT_TEST_S3_*),
/// or, when the tests run on their own, one this fixture starts with the project's script. Never skipped:
/// if it cannot start, the S3 tests fail.
/// </summary>
public sealed class RgwServer : IAsyncLifetime
{
    private string? _ownDataDir;

    public string Endpoint { get; private set; } = "";
    public string AccessKey { get; private set; } = "";
    public string SecretKey { get; private set; } = "";
    public string Region { get; private set; } = "us-east-1";

    public async ValueTask InitializeAsync()
    {
        var endpoint = Environment.GetEnvironmentVariable("MEDIAVAULT_TEST_S3_ENDPOINT");
        if (!string.IsNullOrEmpty(endpoint))
        {
            Endpoint = endpoint;
            AccessKey = Environment.GetEnvironmentVariable("MEDIAVAULT_TEST_S3_ACCESS_KEY") ?? "";
            SecretKey = Environment.GetEnvironmentVariable("MEDIAVAULT_TEST_S3_SECRET_KEY") ?? "";
            Region = Environment.GetEnvironmentVariable("MEDIAVAULT_TEST_S3_REGION") ?? Region;
        }
        else
        {
            _ownDataDir = Path.Combine(Path.GetTempPath(), "mediavault-rgw-" + Guid.NewGuid().ToString("N")[..8]);
            string output;
            try { output = await Scripts.RunAsync("rgw-up.sh", _ownDataDir, "0"); }
            catch (InvalidOperationException)
            {
                // One more try on a busy machine; the script stops and wipes what the first left.
                output = await Scripts.RunAsync("rgw-up.sh", _ownDataDir, "0");
            }
            foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                var (name, value) = (line.Split('=', 2)[0], line.Split('=', 2).ElementAtOrDefault(1) ?? "");
                switch (name)
                {
                    case "ENDPOINT": Endpoint = value; break;
                    case "ACCESS_KEY": AccessKey = value; break;
                    case "SECRET_KEY": SecretKey = value; break;
                    case "REGION": Region = value; break;
                }
            }
            if (Endpoint.Length == 0) throw new InvalidOperationException("rgw-up.sh printed no ENDPOINT:\n" + output);
        }
        // The app reads credentials from the AWS default chain, as it does in production.
        Environment.SetEnvironmentVariable("AWS_ACCESS_KEY_ID", AccessKey);
        Environment.SetEnvironmentVariable("AWS_SECRET_ACCESS_KEY", SecretKey);
        Environment.SetEnvironmentVariable("AWS_REGION", Region);
    }

    public async ValueTask DisposeAsync()
    {
        if (_ownDataDir is not null)
        {
            await Scripts.RunAsync("rgw-down.sh", _ownDataDir, "--wipe");
            try { Directory.Delete(_ownDataDir, recursive: true); } catch (IOException) { }
        }
    }

    public static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "MediaVault.slnx"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("Cannot find the repository root (MediaVault.slnx).");
    }
}
