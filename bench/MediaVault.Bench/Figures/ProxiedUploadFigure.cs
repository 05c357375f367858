using System.Diagnostics;
using MediaVault.Bench.Harness;
using MediaVault.Bench.Report;

namespace MediaVault.Bench.Figures;

/// <summary>
/// Figure 1: one big file through POST /images/upload against a pre-signed PUT of the same bytes to
/// the same store, and the server's memory while it streams. Every measured upload gets a fresh app
/// (and on S3 an empty RGW), so "idle" is a warmed-up process that has not yet seen a big upload (a GC
/// heap grown by an earlier one would hide the growth) and neither path inherits the other's leftovers.
/// </summary>
public static class ProxiedUploadFigure
{
    public const string Name = "1. Proxied upload";
    private static readonly TimeSpan SampleInterval = TimeSpan.FromMilliseconds(50);

    public static async Task RunAsync(BenchContext ctx, Store store)
    {
        var r = ctx.Results;
        var label = BenchContext.Label(store);
        var size = ctx.Options.BigFileBytes;
        r.Note(Name, $"One {Format.Bytes(size)} PNG (64x48 header, random padding) to the `bench` collection; the client streams it from a generator.");
        r.Note(Name, "Direct = `POST /images/presign-upload` then a PUT of the bytes to the returned URL (S3: straight to RGW; Local: the app's `/storage` endpoint); the ratio uses the PUT time only.");
        r.Note(Name, $"RSS of the app process from `/proc/<pid>/status`, sampled every {SampleInterval.TotalMilliseconds:0} ms during the upload, together with VmHWM (reset just before via `/proc/<pid>/clear_refs`); idle = RSS just before the upload.");
        r.Note(Name, $"Every measured upload, of either path, gets a fresh stack: an empty RGW (S3), the app started anew, two {Format.Bytes(ctx.Options.WarmUpBytes)} uploads by each path to warm it up (so idle includes the part buffers those left in the pool), 2 s of rest. The paths take turns going first.");
        for (var run = 0; run < ctx.Options.Runs; run++)
        {
            Console.WriteLine($"[{Name}] {label} run {run + 1}/{ctx.Options.Runs}");
            // Each path gets the same start: on this VM, whichever big upload came second after a first
            // one was up to 2x slower in Ceph (RGW/OSD CPU per GiB doubled), whatever the pause between.
            Upload proxied = null!, direct = null!;
            foreach (var isProxied in run % 2 == 0 ? new[] { true, false } : [false, true])
            {
                if (isProxied) proxied = await OnFreshStackAsync(ctx, store, run, (client, pid) => ProxiedAsync(ctx, store, client, size, run, pid));
                else direct = await OnFreshStackAsync(ctx, store, run, (client, pid) => DirectAsync(ctx, store, client, size, run, pid));
            }
            r.Add(Name, "proxied upload throughput", label, "MiB/s", proxied.MiBps);
            r.Add(Name, "direct PUT throughput", label, "MiB/s", direct.MiBps);
            r.Add(Name, "ratio proxied / direct PUT", label, "ratio", proxied.MiBps / direct.MiBps, new Aim("≥ 0.8", v => v >= 0.8));
            r.Add(Name, "app RSS growth over idle, proxied", label, "MiB", proxied.GrowthMiB, new Aim("≤ 64 MiB", v => v <= 64, EveryRun: true));
            r.Add(Name, "app RSS idle", label, "MiB", proxied.IdleMiB);
            r.Add(Name, "app RSS peak, proxied", label, "MiB", proxied.PeakMiB);
            r.Add(Name, "app RSS growth over idle, direct PUT", label, "MiB", direct.GrowthMiB);
            r.Add(Name, "register after direct PUT (copy + verify)", label, "s", direct.Register.TotalSeconds);
            var gib = size / (double)(1L << 30);
            foreach (var (path, upload) in new[] { ("proxied", proxied), ("direct PUT", direct) })
            {
                r.Add(Name, $"machine CPU busy, {path}", label, "%", upload.Cpu.MachineBusy * 100);
                foreach (var (group, used) in upload.Cpu.ByGroup)
                    r.Add(Name, $"CPU per GiB, {path}: {group}", label, "s", used.TotalSeconds / gib);
            }
        }
    }

    /// <summary>A fresh store (S3: an empty RGW) and app, warmed up, then one measured upload.</summary>
    private static async Task<Upload> OnFreshStackAsync(BenchContext ctx, Store store, int run, Func<MediaVaultClient, int, Task<Upload>> measure)
    {
        if (store == Store.S3) await ctx.Rgw!.RestartAsync();
        await using var app = await ctx.StartAppAsync(store);
        using var client = await MediaVaultClient.NewUserAsync(app.BaseUrl, "upload");
        // Warm-up: tiered JIT of the streaming loops, connection pools, the S3 client; then let the
        // background compiler and the GC settle. With less (2 x 32 MiB) the first big upload still
        // paid for the JIT: app CPU per GiB 10-20 % higher and the ratio twice as spread.
        for (var i = 0; i < 2; i++)
        {
            await ProxiedAsync(ctx, store, client, ctx.Options.WarmUpBytes, run);
            await DirectAsync(ctx, store, client, ctx.Options.WarmUpBytes, run, null);
        }
        await Task.Delay(TimeSpan.FromSeconds(2));
        var upload = await measure(client, app.Pid);
        app.EnsureRunning();
        return upload;
    }

    private sealed record Upload(double MiBps, double IdleMiB, double PeakMiB, double GrowthMiB, CpuMeter.Usage Cpu, TimeSpan Register);

    private static async Task<Upload> ProxiedAsync(BenchContext ctx, Store store, MediaVaultClient client, long size, int seed, int? appPid = null)
    {
        using var memory = new Measurement(ctx, store, appPid);
        var image = await client.UploadProxiedAsync(new StreamContent(new PayloadStream(size, seed), 256 << 10), "big.png", "bench");
        var upload = memory.Stop(size, TimeSpan.Zero);
        if (image.Size != size) throw new InvalidOperationException($"proxied upload stored {image.Size} bytes, sent {size}");
        await client.DeleteAsync(image.Id);
        return upload;
    }

    private static async Task<Upload> DirectAsync(BenchContext ctx, Store store, MediaVaultClient client, long size, int seed, int? appPid)
    {
        var presign = await client.PresignAsync("big.png", size, "bench");
        using var memory = new Measurement(ctx, store, appPid);
        await client.PutAsync(presign, new StreamContent(new PayloadStream(size, seed), 256 << 10));
        var clock = Stopwatch.StartNew();
        memory.Pause();
        var image = await client.RegisterAsync(presign, "big.png");
        var register = clock.Elapsed;
        if (image.Size != size) throw new InvalidOperationException($"direct upload registered {image.Size} bytes, sent {size}");
        await client.DeleteAsync(image.Id);
        return memory.Stop(size, register);
    }

    /// <summary>Wall time, app RSS (idle before, peak during) and app CPU of one upload.</summary>
    private sealed class Measurement : IDisposable
    {
        private readonly long _idle;
        private readonly CpuMeter _cpu;
        private readonly RssSampler? _sampler;
        private readonly Stopwatch _clock;
        private long _peak;
        private TimeSpan _elapsed;
        private CpuMeter.Usage? _cpuUsed;

        public Measurement(BenchContext ctx, Store store, int? pid)
        {
            if (pid is { } p)
            {
                _idle = ProcStats.Memory(p) ?? 0;
                ProcStats.ResetPeak(p);
                _sampler = new RssSampler(p, SampleInterval);
            }
            var groups = new Dictionary<string, int[]> { ["app"] = pid is { } app ? [app] : [], ["client"] = [Environment.ProcessId] };
            if (store == Store.S3 && ctx.Rgw is { } rgw) groups["Ceph"] = rgw.Pids;
            _cpu = new CpuMeter(groups);
            _clock = Stopwatch.StartNew();
        }

        /// <summary>Ends the timed part; what follows is not counted.</summary>
        public void Pause()
        {
            if (!_clock.IsRunning) return;
            _clock.Stop();
            _elapsed = _clock.Elapsed;
            _cpuUsed = _cpu.Stop();
            _peak = _sampler?.Peak ?? 0;
            _sampler?.Dispose();
        }

        public Upload Stop(long bytes, TimeSpan register)
        {
            Pause();
            var idle = BenchContext.MiB(_idle);
            var peak = BenchContext.MiB(Math.Max(_peak, _idle));
            return new Upload(BenchContext.MiB(bytes) / _elapsed.TotalSeconds, idle, peak, peak - idle, _cpuUsed!, register);
        }

        public void Dispose() => Pause();
    }
}
