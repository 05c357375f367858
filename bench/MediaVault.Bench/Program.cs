using System.Diagnostics;
using MediaVault.Bench;
using MediaVault.Bench.Figures;
using MediaVault.Bench.Harness;
using MediaVault.Bench.Report;

if (BenchOptions.Parse(args) is not { } options)
{
    Console.Error.WriteLine(BenchOptions.Usage);
    return 2;
}
var repo = Shell.RepoRoot();
var output = options.Output ?? (options.IsFull
    ? Path.Combine(repo, "docs", "benchmarks.md")
    : Path.Combine(Path.GetTempPath(), "mediavault-benchmarks-partial.md"));
var work = Path.Combine(Path.GetTempPath(), "mediavault-bench-" + Guid.NewGuid().ToString("N")[..8]);
Directory.CreateDirectory(work);
var results = new Results();
Console.WriteLine($"MediaVault benchmarks: {options.Runs} runs, stores {string.Join(", ", options.Stores)}, figures {string.Join(",", options.Figures.Order())}, work folder {work}");

var machine = await Machine.DescribeAsync(repo, work);
var background = await Background.StartAsync();
var started = DateTimeOffset.UtcNow;
var clock = Stopwatch.StartNew();
Rgw? rgw = null;
Postgres? postgres = null;
try
{
    if (options.Stores.Contains(Store.S3))
    {
        // RGW keeps objects in RAM and is wiped before each measured upload of figure 1: room for one of them.
        var memstore = options.BigFileBytes + 4 * options.WarmUpBytes + (1L << 30);
        // Figure 5 wipes it for each setup too: room for one setup's uploads with their staging objects.
        if (options.Includes(5)) memstore = Math.Max(memstore, options.TwoInstanceUploads * (2L << 20) + (512L << 20));
        Console.WriteLine($"starting Ceph RGW (memstore {Format.Bytes(memstore)})");
        rgw = await Rgw.StartAsync(repo, Path.Combine(work, "rgw"), memstore);
    }
    var ctx = new BenchContext(options, repo, work, rgw, results);

    if (options.Includes(2)) await Guard(ListLatencyFigure.Name, "in-process", () => { SignerFigure.Run(ctx); return Task.CompletedTask; });
    foreach (var store in options.Stores)
    {
        var label = BenchContext.Label(store);
        if (options.Includes(1)) await Guard(ProxiedUploadFigure.Name, label, () => ProxiedUploadFigure.RunAsync(ctx, store));
        if (!options.Includes(2) && !options.Includes(3) && !options.Includes(4)) continue;
        AppProcess? app = null;
        await Guard(ListLatencyFigure.Name, label, async () =>
        {
            if (store == Store.S3) await rgw!.RestartAsync();
            app = await ctx.StartAppAsync(store);
        });
        if (app is null) continue;
        await using (app)
        {
            if (options.Includes(2)) await Guard(ListLatencyFigure.Name, label, () => ListLatencyFigure.RunAsync(ctx, app, store));
            if (options.Includes(3)) await Guard(PresignThroughputFigure.Name, label, () => PresignThroughputFigure.RunAsync(ctx, app, store));
            if (options.Includes(4)) await Guard(ConcurrentUploadsFigure.Name, label, () => ConcurrentUploadsFigure.RunAsync(ctx, app, store));
        }
    }
    if (options.Includes(5))
    {
        if (rgw is null) results.Note(TwoInstancesFigure.Name, "Not measured: several instances need a store they all reach, and this run has no S3 store (`--stores` without `s3`); the local store is one machine's folder.");
        else await Guard(TwoInstancesFigure.Name, BenchContext.Label(Store.S3), async () =>
        {
            Console.WriteLine("starting PostgreSQL");
            postgres = await Postgres.StartAsync(repo, Path.Combine(work, "pg"));
            await TwoInstancesFigure.RunAsync(ctx, postgres);
        });
    }
}
finally
{
    if (postgres is not null) await postgres.DisposeAsync();
    if (rgw is not null) await rgw.DisposeAsync();
    if (!options.Keep) Directory.Delete(work, recursive: true);
}
background.Stop((rgw?.CpuUsed ?? TimeSpan.Zero) + (postgres?.CpuUsed ?? TimeSpan.Zero));

string[] figures = [ProxiedUploadFigure.Name, ListLatencyFigure.Name, PresignThroughputFigure.Name, ConcurrentUploadsFigure.Name, TwoInstancesFigure.Name];
var page = MarkdownReport.Render(machine, background, rgw?.MemstoreBytes, options, results, started, clock.Elapsed, args,
    figures.Where((_, i) => options.Includes(i + 1)).ToList());
// Figures of earlier code, written by hand when the code changed, follow the generated ones.
var history = Path.Combine(repo, "docs", "benchmarks-history.md");
if (File.Exists(history)) page += "\n" + await File.ReadAllTextAsync(history);
Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
await File.WriteAllTextAsync(output, page);
Console.WriteLine();
Console.WriteLine(page);
Console.WriteLine($"written to {output} in {clock.Elapsed.TotalMinutes:0.0} min{(options.Keep ? $"; work folder kept: {work}" : "")}");
return 0;

// A figure that fails is reported as such; the others still run.
async Task Guard(string figure, string store, Func<Task> body)
{
    try { await body(); }
    catch (Exception e)
    {
        results.Note(figure, $"**Failed** on {store}: {e.GetType().Name}: {e.Message.Split('\n')[0]}");
        Console.Error.WriteLine(e);
    }
}
