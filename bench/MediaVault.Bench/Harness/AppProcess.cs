using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace MediaVault.Bench.Harness;

/// <summary>A database other than the embedded SQLite file: <c>MediaVault__Database__*</c> as an operator sets them.</summary>
public sealed record AppDatabase(string Provider, string ConnectionString);

/// <summary>The built service (src/MediaVault/bin/Release) as a child process on a loopback port,
/// configured only through environment variables, as an operator would.</summary>
public sealed class AppProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StreamWriter _log;

    private AppProcess(Process process, StreamWriter log, Uri baseUrl) => (_process, _log, BaseUrl) = (process, log, baseUrl);

    public Uri BaseUrl { get; }
    public int Pid => _process.Id;

    /// <summary>Throws when the app has stopped, so a crash is reported as one and not as slow figures.</summary>
    public void EnsureRunning()
    {
        if (_process.HasExited) throw new InvalidOperationException($"the app exited with {_process.ExitCode}; see app.log (--keep)");
    }

    public static string AppDll(string repo) => Path.Combine(repo, "src", "MediaVault", "bin", "Release", "net10.0", "MediaVault.dll");

    /// <summary>Starts the app with a fresh or reused database and store under <paramref name="dataDir"/>, or on
    /// <paramref name="database"/> (then it is awaited until ready: several instances may start on it at once).
    /// Rate limits and quotas are lifted (the figures load one user far past them) unless <paramref name="defaultRateLimits"/>.</summary>
    public static async Task<AppProcess> StartAsync(string repo, Store store, string dataDir, Rgw? rgw, long bigCollectionBytes,
        AppDatabase? database = null, bool defaultRateLimits = false)
    {
        var dll = AppDll(repo);
        if (!File.Exists(dll)) throw new InvalidOperationException($"{dll} is missing: dotnet build -c Release src/MediaVault");
        Directory.CreateDirectory(dataDir);
        var port = FreePort();
        var start = new ProcessStartInfo("dotnet")
        {
            // appsettings.json sits beside the dll: it defines the default collection "images".
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        start.ArgumentList.Add(dll);
        var env = start.Environment;
        foreach (var inherited in env.Keys.Where(k => k.StartsWith("MediaVault__", StringComparison.OrdinalIgnoreCase)).ToList())
            env.Remove(inherited); // the figures are for the configuration below, whatever the caller's shell holds
        // Our prefix, so that an ASPNETCORE_URLS in the caller's shell cannot redirect the figures.
        env["MediaVault__Urls"] = $"http://127.0.0.1:{port}";
        env["ASPNETCORE_ENVIRONMENT"] = "Production";
        if (database is null) env["MediaVault__Database__ConnectionString"] = $"Data Source={Path.Combine(dataDir, "bench.db")}";
        else
        {
            env["MediaVault__Database__Provider"] = database.Provider;
            env["MediaVault__Database__ConnectionString"] = database.ConnectionString;
        }
        env["MediaVault__Storage__Provider"] = store.ToString();
        env["MediaVault__Storage__Local__Root"] = Path.Combine(dataDir, "storage");
        env["MediaVault__Media__Collections__bench__MaxBytes"] = bigCollectionBytes.ToString();
        const string lifted = "1000000000";
        foreach (var limit in defaultRateLimits ? ["AuthPerIp"] : new[] { "AuthPerIp", "StoragePerIp", "UploadsPerUser", "SignedUrlsPerUser" })
            env[$"MediaVault__RateLimits__{limit}__PermitLimit"] = lifted;
        env["MediaVault__Quotas__Files"] = lifted;
        env["MediaVault__Quotas__Bytes"] = (1L << 50).ToString();
        env["MediaVault__Quotas__OutstandingUploads"] = lifted;
        if (store == Store.S3)
        {
            if (rgw is null) throw new InvalidOperationException("the S3 store needs Ceph RGW");
            env["MediaVault__Storage__S3__Bucket"] = "bench";
            env["MediaVault__Storage__S3__ServiceUrl"] = rgw.Endpoint;
            env["MediaVault__Storage__S3__Region"] = rgw.Region;
            env["MediaVault__Storage__S3__CreateBucket"] = "true";
            env["AWS_ACCESS_KEY_ID"] = rgw.AccessKey;
            env["AWS_SECRET_ACCESS_KEY"] = rgw.SecretKey;
            env["AWS_REGION"] = rgw.Region;
        }
        var log = new StreamWriter(Path.Combine(dataDir, "app.log"), append: true) { AutoFlush = true };
        var process = Process.Start(start) ?? throw new InvalidOperationException("cannot start dotnet");
        var app = new AppProcess(process, log, new Uri($"http://127.0.0.1:{port}"));
        process.OutputDataReceived += (_, e) => app.Log(e.Data);
        process.ErrorDataReceived += (_, e) => app.Log(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            // /health answers once the process serves; /health/ready also once the shared database and the store do.
            await app.WaitHealthyAsync(TimeSpan.FromSeconds(60), database is null ? "/health" : "/health/ready");
            return app;
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }

    private async Task WaitHealthyAsync(TimeSpan timeout, string path)
    {
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(2) };
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            if (_process.HasExited) throw new InvalidOperationException($"the app exited with {_process.ExitCode}; see app.log");
            try
            {
                if ((await http.GetAsync(new Uri(BaseUrl, path))).StatusCode == HttpStatusCode.OK)
                {
                    EnsureRunning(); // a 200 from some other process on the port is no start
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException) { }
            await Task.Delay(100);
        }
        throw new TimeoutException($"GET {path} did not answer 200 within {timeout.TotalSeconds} s");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _ = Kill(_process.Id, 15); // SIGTERM: a graceful stop
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try { await _process.WaitForExitAsync(grace.Token); }
            catch (OperationCanceledException) { _process.Kill(entireProcessTree: true); await _process.WaitForExitAsync(); }
        }
        _process.Dispose();
        lock (_log)
        {
            _closed = true;
            _log.Dispose();
        }
    }

    private bool _closed;

    private void Log(string? line)
    {
        if (line is null) return;
        lock (_log) if (!_closed) _log.WriteLine(line);
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
