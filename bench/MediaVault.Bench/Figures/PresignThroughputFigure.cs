using System.Diagnostics;
using System.Text;
using MediaVault.Bench.Harness;
using MediaVault.Bench.Report;

namespace MediaVault.Bench.Figures;

/// <summary>Figure 3: POST /images/presign-upload against GET /health, 32 keep-alive clients each.</summary>
public static class PresignThroughputFigure
{
    public const string Name = "3. Presign throughput";

    public static async Task RunAsync(BenchContext ctx, AppProcess app, Store store)
    {
        var r = ctx.Results;
        var label = BenchContext.Label(store);
        var clients = ctx.Options.LoadClients;
        var duration = ctx.Options.LoadDuration;
        using var user = await MediaVaultClient.NewUserAsync(app.BaseUrl, "presign");
        // /health goes without the token: the app authenticates any request that carries one.
        using var anonymous = MediaVaultClient.NewHttpClient(app.BaseUrl);
        const string body = """{"filename":"photo.png","filetype":"image/png","size":123456}""";
        HttpRequestMessage Presign() => new(HttpMethod.Post, "/images/presign-upload") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        HttpRequestMessage Health() => new(HttpMethod.Get, "/health");
        r.Note(Name, $"{clients} concurrent clients (one `HttpClient`, keep-alive), each sending its next request when the last one is answered, for {duration.TotalSeconds:0} s per endpoint and run, after 1 s of warm-up; the endpoints in the order of the table on even runs, reversed on odd ones. " +
            "`/health` is sent without the bearer token, presign with it (the presign figure includes token validation, the SQLite insert of the pending upload and the URL signature). `GET /images?limit=1` for a user without images is not an aim, only a reference: the cost of the token and one query, without a write or a signature.");

        var phases = new (string Name, HttpClient Http, Func<HttpRequestMessage> Request)[]
        {
            ("GET /health", anonymous, Health),
            ("GET /images?limit=1 (token + one query)", user.Api, () => new(HttpMethod.Get, "/images?limit=1")),
            ("POST /images/presign-upload", user.Api, Presign),
        };
        foreach (var phase in phases) await LoadAsync(phase.Http, phase.Request, clients, TimeSpan.FromSeconds(1), app.Pid);
        for (var run = 0; run < ctx.Options.Runs; run++)
        {
            Console.WriteLine($"[{Name}] {label} run {run + 1}/{ctx.Options.Runs}");
            var loads = new Dictionary<string, Load>();
            foreach (var phase in run % 2 == 0 ? phases : Enumerable.Reverse(phases))
                loads[phase.Name] = await LoadAsync(phase.Http, phase.Request, clients, duration, app.Pid);
            app.EnsureRunning();
            foreach (var (phase, load) in loads.Where(l => l.Value.FirstError is not null))
                r.Note(Name, $"{label} run {run + 1}: {load.Errors} failed `{phase}`, the first: {load.FirstError}");
            var (health, presign) = (loads[phases[0].Name], loads[phases[2].Name]);
            foreach (var phase in phases) r.Add(Name, phase.Name, label, "req/s", loads[phase.Name].PerSecond);
            r.Add(Name, "ratio presign / health", label, "ratio", presign.PerSecond / health.PerSecond, new Aim("≥ 0.5", v => v >= 0.5));
            r.Add(Name, "presign latency p50", label, "ms", presign.P50);
            r.Add(Name, "presign latency p99", label, "ms", presign.P99);
            foreach (var phase in phases) r.Add(Name, $"app CPU per request: {phase.Name.Split(' ')[1]}", label, "ms", loads[phase.Name].AppCpuPerRequest);
            r.Add(Name, "machine CPU busy during presign", label, "%", presign.MachineBusy * 100);
            r.Add(Name, "failed requests", label, "count", loads.Values.Sum(l => l.Errors), new Aim("0", v => v == 0, EveryRun: true));
        }
        await RateLimiterAsync(ctx, store, Presign, clients, duration);
    }

    /// <summary>The same presign load on an app at the default upload limit (120 a minute per user): what the
    /// limiter costs when it turns a flood away, beside the rows above where it admits everything (limits lifted).</summary>
    private static async Task RateLimiterAsync(BenchContext ctx, Store store, Func<HttpRequestMessage> presign, int clients, TimeSpan duration)
    {
        var r = ctx.Results;
        var label = BenchContext.Label(store);
        await using var app = await ctx.StartAppAsync(store, store.ToString().ToLowerInvariant() + "-default-limits", defaultRateLimits: true);
        using var user = await MediaVaultClient.NewUserAsync(app.BaseUrl, "limited");
        r.Note(Name, "Rows \"at the default limit\": a second app with the default `RateLimits` (quotas lifted), one user and the same load; " +
            "the first 120 presigns of the minute are answered, the rest are 429 problems with `Retry-After`. The rows above run with the limits lifted, " +
            "so every request passes through the limiter and is admitted: their difference from these is the cost of an admitted request against a refused one.");
        for (var run = 0; run < ctx.Options.Runs; run++)
        {
            var load = await LoadAsync(user.Api, presign, clients, duration, app.Pid, accept: System.Net.HttpStatusCode.TooManyRequests);
            app.EnsureRunning();
            r.Add(Name, "at the default limit: presign answers (mostly 429)", label, "req/s", load.PerSecond);
            r.Add(Name, "at the default limit: answers admitted (200)", label, "count", load.Admitted);
            r.Add(Name, "at the default limit: latency p50", label, "ms", load.P50);
            r.Add(Name, "at the default limit: latency p99", label, "ms", load.P99);
            r.Add(Name, "at the default limit: app CPU per request", label, "ms", load.AppCpuPerRequest);
            r.Add(Name, "at the default limit: failed requests (not 200 or 429)", label, "count", load.Errors, new Aim("0", v => v == 0, EveryRun: true));
        }
    }

    private sealed record Load(double PerSecond, double P50, double P99, int Errors, string? FirstError, double AppCpuPerRequest, double MachineBusy,
        int Admitted = 0);

    /// <summary>Closed-loop load: <paramref name="clients"/> workers, each one request at a time, until the time is up.
    /// <paramref name="accept"/> is one more status that counts as an answer (429 at a rate limit).</summary>
    private static async Task<Load> LoadAsync(HttpClient http, Func<HttpRequestMessage> request, int clients, TimeSpan duration, int appPid,
        System.Net.HttpStatusCode? accept = null)
    {
        var cpu = new CpuMeter(new Dictionary<string, int[]> { ["app"] = [appPid] });
        var clock = Stopwatch.StartNew();
        var latencies = new List<double>[clients];
        var errors = 0;
        var admitted = 0;
        string? firstError = null;
        await Task.WhenAll(Enumerable.Range(0, clients).Select(async worker =>
        {
            var mine = latencies[worker] = new List<double>(4096);
            while (clock.Elapsed < duration)
            {
                var start = clock.Elapsed;
                try
                {
                    using var message = request();
                    using var response = await http.SendAsync(message);
                    await response.Content.LoadIntoBufferAsync();
                    if (response.IsSuccessStatusCode) Interlocked.Increment(ref admitted);
                    if (response.IsSuccessStatusCode || response.StatusCode == accept) mine.Add((clock.Elapsed - start).TotalMilliseconds);
                    else Failed($"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                }
                catch (HttpRequestException e) { Failed(e.Message); }
            }
        }));
        var elapsed = clock.Elapsed.TotalSeconds;

        void Failed(string what)
        {
            Interlocked.Increment(ref errors);
            Interlocked.CompareExchange(ref firstError, what.Length > 200 ? what[..200] : what, null);
        }
        var all = latencies.SelectMany(l => l).ToList();
        var used = cpu.Stop();
        return new Load(all.Count / elapsed, Stats.Percentile(all, 50), Stats.Percentile(all, 99), errors, firstError,
            used.ByGroup["app"].TotalMilliseconds / Math.Max(1, all.Count + errors), used.MachineBusy, admitted);
    }
}
