using System.Diagnostics;
using System.Net.Http.Json;
using MediaVault.Bench.Harness;
using MediaVault.Bench.Report;

namespace MediaVault.Bench.Figures;

/// <summary>Figure 2 over HTTP: one client reading a page of 500 images, each with a fresh signed URL.</summary>
public static class ListLatencyFigure
{
    public const string Name = "2. Signed URLs";
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(5);

    public static async Task RunAsync(BenchContext ctx, AppProcess app, Store store)
    {
        var r = ctx.Results;
        var label = BenchContext.Label(store);
        var count = ctx.Options.SeededImages;
        var requests = ctx.Options.ListRequests;
        using var client = await MediaVaultClient.NewUserAsync(app.BaseUrl, "list");
        Console.WriteLine($"[{Name}] {label}: seeding {count} images");
        await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) =>
            await client.UploadProxiedAsync(new ByteArrayContent(Payloads.Bytes(2048, i)), $"seed-{i}.png", null, ct));

        var url = $"/images?limit={count}";
        var page = await client.Api.GetFromJsonAsync<Page>(url);
        if (page?.Items.Count != count) throw new InvalidOperationException($"GET {url} returned {page?.Items.Count} items, expected {count}");
        var bytes = (await client.Api.GetByteArrayAsync(url)).Length;
        r.Note(Name, $"`GET {url}` by one client, one request at a time on a keep-alive connection, {requests} timed requests per run after {WarmUp.TotalSeconds:0} s of untimed ones (the app's tiered JIT needs that long: with 20 requests the first run was twice as slow as the last); every response holds {count} images of the default (private) collection, each with a fresh signed URL.");
        r.Note(Name, $"{label}: a page is {Format.Bytes(bytes)} of JSON.");
        var warm = Stopwatch.StartNew();
        while (warm.Elapsed < WarmUp) await client.Api.GetByteArrayAsync(url);
        await Task.Delay(TimeSpan.FromSeconds(1));

        for (var run = 0; run < ctx.Options.Runs; run++)
        {
            Console.WriteLine($"[{Name}] {label} run {run + 1}/{ctx.Options.Runs}");
            var latencies = new List<double>(requests);
            var cpu = ProcStats.Cpu(app.Pid);
            for (var i = 0; i < requests; i++)
            {
                var clock = Stopwatch.StartNew();
                await client.Api.GetByteArrayAsync(url);
                latencies.Add(clock.Elapsed.TotalMilliseconds);
            }
            var cpuPerRequest = (ProcStats.Cpu(app.Pid) - cpu).TotalMilliseconds / requests;
            r.Add(Name, $"GET /images?limit={count} p50", label, "ms", Stats.Percentile(latencies, 50), new Aim("< 10 ms", v => v < 10));
            r.Add(Name, $"GET /images?limit={count} p99", label, "ms", Stats.Percentile(latencies, 99));
            r.Add(Name, "app CPU per page", label, "ms", cpuPerRequest);
            app.EnsureRunning();
        }
    }

    private sealed record Page(List<ImageDto> Items, string? NextCursor);
}
