using System.Diagnostics;
using System.Security.Cryptography;
using MediaVault.Bench.Harness;
using MediaVault.Bench.Report;

namespace MediaVault.Bench.Figures;

/// <summary>
/// Figure 5: figure 4's mix at scale through two instances over one PostgreSQL database and one bucket,
/// every client sending each request to the other instance than its last (an upload presigned on one
/// is registered on the other), against the same load on one instance on SQLite. Every upload is read
/// back and compared by SHA-256; at the end every image must be listed, once.
/// </summary>
public static partial class TwoInstancesFigure
{
    public const string Name = "5. Two instances on PostgreSQL";
    public const string TwoOnPostgres = "two instances, PostgreSQL";
    public const string OneOnSqlite = "one instance, SQLite";
    private const string Ratio = "two on PostgreSQL / one on SQLite";
    private const int MinSize = 10 << 10, MaxSize = 5 << 20, PageSize = 16, WarmUpUploads = 60;
    private static readonly string[] Paths = ["proxied", "direct PUT", "direct POST"];

    public static async Task RunAsync(BenchContext ctx, Postgres pg)
    {
        var r = ctx.Results;
        var o = ctx.Options;
        var count = o.TwoInstanceUploads;
        r.Note(Name, $"{count:N0} uploads by {o.TwoInstanceClients} clients (each sends its next request when the last is answered) as {o.TwoInstanceUsers} users, to the default collection `images`, paths in turn ({string.Join(", ", Paths)}), sizes log-uniform from {Format.Bytes(MinSize)} to {Format.Bytes(MaxSize)} (new random bytes every run, the same for both setups of a run). " +
            "Every client sends each API request to the other instance than its last one, so a direct upload presigned on one instance is registered on the other; users register on one and log in on the other. Both setups use the S3 store (Ceph RGW); the one instance on SQLite gets the same requests.");
        r.Note(Name, "Each upload is read back through its signed `url` and compared by SHA-256; wall time covers uploads and read-backs, throughput counts uploaded bytes. Latency is per upload, from its first request until the image is answered (direct: presign, send, register), without the read-back. " +
            $"Then every user's images are listed (`GET /images?limit={PageSize}` with the cursor, pages alternating instances): lost = answered 201 but not listed; every image must be listed exactly once.");
        r.Note(Name, $"Every setup and run gets a fresh stack: an empty RGW, a new database (PostgreSQL: a new database, created and migrated by the two instances starting at once; SQLite: a new file), the apps started anew and warmed up with {WarmUpUploads} small uploads by another user, 2 s of rest. The setups take turns going first.");
        r.Note(Name, $"{pg.Version} from `scripts/pg-up.sh` on 127.0.0.1, tuned for tests (fsync, synchronous_commit and full_page_writes off); each instance keeps Npgsql's default pool (up to 100 connections).");
        r.Note(Name, $"The two instances share the machine's {Environment.ProcessorCount} cores with RGW, PostgreSQL and the client: a second instance adds no CPU, so the ratio is the cost of spreading the load over two processes and a database server, not a scale-out.");
        r.Note(Name, "Local store: not measured. Several instances need one store that all of them reach; the local store is a folder on one machine (sharing it would take a network file system and a common signing key, which this harness does not set up).");

        for (var run = 0; run < o.Runs; run++)
        {
            Console.WriteLine($"[{Name}] run {run + 1}/{o.Runs}: making {count:N0} payloads");
            var random = new Random(1000 + run);
            var items = Enumerable.Range(0, count).Select(i =>
            {
                var size = (int)Math.Round(MinSize * Math.Pow(MaxSize / (double)MinSize, random.NextDouble()));
                return new Item(i, Payloads.Bytes(size, 5_000_000 + run * 100_000 + i));
            }).ToList();

            Load postgres = null!, sqlite = null!;
            foreach (var onPostgres in run % 2 == 0 ? new[] { true, false } : [false, true])
            {
                Console.WriteLine($"[{Name}] {(onPostgres ? TwoOnPostgres : OneOnSqlite)} run {run + 1}/{o.Runs}");
                await ctx.Rgw!.RestartAsync();
                if (onPostgres)
                {
                    var database = new AppDatabase("PostgreSQL", pg.ConnectionString($"bench5_run{run + 1}"));
                    await using var apps = await AppInstances.StartAsync(
                        Enumerable.Range(0, 2).Select(i => ctx.StartAppAsync(Store.S3, $"two-instances-run{run + 1}-{(char)('a' + i)}", database)));
                    postgres = await MeasureAsync(ctx, apps, items, pg);
                }
                else
                {
                    await using var apps = await AppInstances.StartAsync([ctx.StartAppAsync(Store.S3, $"one-instance-run{run + 1}")]);
                    sqlite = await MeasureAsync(ctx, apps, items, null);
                }
            }

            foreach (var (label, load) in new[] { (TwoOnPostgres, postgres), (OneOnSqlite, sqlite) })
            {
                r.Add(Name, "errors (failed or mismatched)", label, "count", load.Errors.Count, new Aim("0", v => v == 0, EveryRun: true));
                r.Add(Name, "lost (answered 201, not listed)", label, "count", load.Lost, new Aim("0", v => v == 0, EveryRun: true));
                r.Add(Name, "images listed at the end", label, "count", load.Listed, new Aim($"{count}, each once", v => v == count, EveryRun: true));
                r.Add(Name, "uploads per second", label, "/s", count / load.Wall);
                r.Add(Name, "throughput", label, "MiB/s", BenchContext.MiB(load.Bytes) / load.Wall);
                r.Add(Name, "upload latency p50", label, "ms", Stats.Percentile(load.Latencies, 50));
                r.Add(Name, "upload latency p99", label, "ms", Stats.Percentile(load.Latencies, 99));
                r.Add(Name, "wall time", label, "s", load.Wall);
                foreach (var (group, used) in load.Cpu) r.Add(Name, $"CPU per upload: {group}", label, "ms", used.TotalMilliseconds / count);
                r.Add(Name, "machine CPU busy", label, "%", load.MachineBusy * 100);
                r.Add(Name, "bytes uploaded per run", label, "MiB", BenchContext.MiB(load.Bytes));
                foreach (var e in load.Errors.Take(3)) r.Note(Name, $"{label} run {run + 1}: {e}");
                if (load.Errors.Count > 3) r.Note(Name, $"{label} run {run + 1}: {load.Errors.Count - 3} more errors (console, --keep for the app logs)");
                foreach (var e in load.ListingProblems.Take(3)) r.Note(Name, $"{label} run {run + 1}: {e}");
            }
            r.Add(Name, "uploads per second", Ratio, "ratio", sqlite.Wall / postgres.Wall);
            r.Add(Name, "throughput", Ratio, "ratio", sqlite.Wall / postgres.Wall);
            r.Add(Name, "upload latency p50", Ratio, "ratio", Stats.Percentile(postgres.Latencies, 50) / Stats.Percentile(sqlite.Latencies, 50));
            r.Add(Name, "upload latency p99", Ratio, "ratio", Stats.Percentile(postgres.Latencies, 99) / Stats.Percentile(sqlite.Latencies, 99));
            r.Add(Name, "wall time", Ratio, "ratio", postgres.Wall / sqlite.Wall);
        }
    }

    private sealed record Item(int Index, byte[] Body)
    {
        public string FileName => $"upload-{Index}.png";
        public byte[] Hash { get; } = SHA256.HashData(Body);
    }

    private sealed record Load(List<string> Errors, int Lost, int Listed, List<string> ListingProblems, double Wall, long Bytes,
        List<double> Latencies, IReadOnlyDictionary<string, TimeSpan> Cpu, double MachineBusy);

    /// <summary>Warm-up, then the timed load, then the listing check, on instances that are already up.</summary>
    private static async Task<Load> MeasureAsync(BenchContext ctx, AppInstances apps, List<Item> items, Postgres? pg)
    {
        var o = ctx.Options;
        using (var warm = await UsersAsync(apps, 1, "warm-up"))
        {
            var small = Enumerable.Range(0, WarmUpUploads).Select(i => new Item(i, Payloads.Bytes(MinSize << (i % 4), -1 - i))).ToList();
            var warmUp = await UploadAllAsync(warm, small, clients: 10);
            if (warmUp.Errors.FirstOrDefault() is { } first) throw new InvalidOperationException($"warm-up failed: {first}");
        }
        await Task.Delay(TimeSpan.FromSeconds(2));

        using var users = await UsersAsync(apps, o.TwoInstanceUsers, "two-instances");
        var cpu = new CpuMeter(new Dictionary<string, int[]> { ["app (all instances)"] = apps.Pids, ["Ceph"] = ctx.Rgw!.Pids, ["client"] = [Environment.ProcessId] });
        var databaseCpu = pg?.CpuUsed; // its backends come and go: counted from the postmaster down, not by pid
        var clock = Stopwatch.StartNew();
        var upload = await UploadAllAsync(users, items, o.TwoInstanceClients);
        var wall = clock.Elapsed.TotalSeconds;
        var used = cpu.Stop();
        var byGroup = new Dictionary<string, TimeSpan> { ["app (all instances)"] = used.ByGroup["app (all instances)"] };
        if (pg is not null) byGroup["PostgreSQL"] = pg.CpuUsed - databaseCpu!.Value;
        byGroup["Ceph"] = used.ByGroup["Ceph"];
        byGroup["client"] = used.ByGroup["client"];
        apps.EnsureRunning();

        var (lost, listed, problems) = await CheckListingAsync(users, upload.Images);
        apps.EnsureRunning();
        return new Load(upload.Errors, lost, listed, problems, wall, items.Sum(i => (long)i.Body.Length),
            upload.Latencies, byGroup, used.MachineBusy);
    }
}
