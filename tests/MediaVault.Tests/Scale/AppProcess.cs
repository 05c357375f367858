using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using MediaVault.Tests.Infrastructure;

namespace MediaVault.Tests.Scale;

/// <summary>
/// The built app as an operator runs it: `dotnet MediaVault.dll` in a child process of its own, on a
/// loopback port, configured by environment variables only. Nothing is shared with the test process
/// or with another instance except what the configuration names (database, store, keys).
/// </summary>
public sealed class AppProcess : IAsyncDisposable
{
    private const int MaxOutput = 200_000;
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private AppProcess(string name, Process process, Uri baseAddress) => (Name, _process, BaseAddress) = (name, process, baseAddress);

    public string Name { get; }
    public Uri BaseAddress { get; }

    /// <summary>The child's process id (to read its /proc entry).</summary>
    public int ProcessId => _process.Id;

    /// <summary>What the child wrote to stdout and stderr (the newest part), for failure messages.</summary>
    public string Output { get { lock (_output) return _output.ToString(); } }

    /// <summary>The app built in the same configuration as these tests, checked to be the very
    /// assembly the tests compiled against: a stale build would prove nothing about this code.</summary>
    public static string AppDll()
    {
        var configuration = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent?.Name ?? "Release";
        var dll = Path.Combine(RgwServer.RepoRoot(), "src", "MediaVault", "bin", configuration, "net10.0", "MediaVault.dll");
        if (!File.Exists(dll))
            throw new InvalidOperationException($"{dll} is missing: dotnet build MediaVault.slnx -c {configuration}");
        if (!File.ReadAllBytes(dll).AsSpan().SequenceEqual(File.ReadAllBytes(typeof(MediaVault.Program).Assembly.Location)))
            throw new InvalidOperationException($"{dll} is not the MediaVault.dll these tests were built with: rebuild the solution");
        return dll;
    }

    /// <summary>Starts the app with these environment variables and returns once GET /health/ready is 200.</summary>
    public static async Task<AppProcess> StartAsync(string name, IReadOnlyDictionary<string, string> environment, TimeSpan readyWithin,
        Func<int, (IReadOnlyDictionary<string, string> Environment, string[] Arguments)>? listen = null)
    {
        var dll = AppDll();
        var port = FreePort();
        // appsettings.json beside the dll defines the default collection "images", as in a deployment.
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        start.ArgumentList.Add(dll);
        var env = start.Environment;
        // Only the configuration below counts, whatever the shell running the tests holds.
        foreach (var inherited in env.Keys.Where(k => k.StartsWith("MediaVault__", StringComparison.OrdinalIgnoreCase)).ToList())
            env.Remove(inherited);
        env.Remove("ASPNETCORE_URLS");
        env.Remove("ASPNETCORE_HTTP_PORTS");
        env["ASPNETCORE_ENVIRONMENT"] = "Production";
        foreach (var (key, value) in environment) env[key] = value;
        // How the port is given: MediaVault__Urls, unless the test tries another of the standard ways.
        var (listenEnvironment, arguments) = listen?.Invoke(port)
            ?? (new Dictionary<string, string> { ["MediaVault__Urls"] = $"http://127.0.0.1:{port}" }, []);
        foreach (var (key, value) in listenEnvironment) env[key] = value;
        foreach (var argument in arguments) start.ArgumentList.Add(argument);

        var process = Process.Start(start) ?? throw new InvalidOperationException("cannot start dotnet");
        var app = new AppProcess(name, process, new Uri($"http://127.0.0.1:{port}"));
        process.OutputDataReceived += (_, e) => app.Append(e.Data);
        process.ErrorDataReceived += (_, e) => app.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await app.WaitReadyAsync(readyWithin);
            return app;
        }
        catch (Exception e)
        {
            await app.DisposeAsync();
            throw new InvalidOperationException($"instance {name}: {e.Message}\n--- output of {name} ---\n{app.Output}", e);
        }
    }

    private async Task WaitReadyAsync(TimeSpan within)
    {
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(5) };
        var clock = Stopwatch.StartNew();
        var last = "no answer";
        while (clock.Elapsed < within)
        {
            if (_process.HasExited) throw new InvalidOperationException($"the app exited with {_process.ExitCode} before it was ready");
            try
            {
                using var response = await http.GetAsync(new Uri(BaseAddress, "/health/ready"));
                // HasExited again: a 200 from some other process that took the port is no start.
                if (response.StatusCode == HttpStatusCode.OK && !_process.HasExited) return;
                last = $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}";
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException) { last = e.Message; }
            await Task.Delay(200);
        }
        throw new TimeoutException($"GET /health/ready was not 200 within {within.TotalSeconds} s (last: {last})");
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_output)
        {
            _output.AppendLine(line);
            if (_output.Length > MaxOutput) _output.Remove(0, _output.Length - MaxOutput);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>SIGKILL, as a crash or an OOM kill would end it: no shutdown code runs.</summary>
    public async Task KillAsync()
    {
        if (_process.HasExited) return;
        _process.Kill(entireProcessTree: true);
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try { await _process.WaitForExitAsync(bound.Token); }
        catch (OperationCanceledException) { } // reported by the test's own outcome; nothing more to do
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
        GC.SuppressFinalize(this);
    }
}
