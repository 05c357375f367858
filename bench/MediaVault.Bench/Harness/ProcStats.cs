namespace MediaVault.Bench.Harness;

/// <summary>What Linux says about a process: resident memory, its high-water mark, CPU time.</summary>
public static class ProcStats
{
    private const double TicksPerSecond = 100; // USER_HZ, 100 on every Linux we run on

    /// <summary>VmRSS or VmHWM in bytes, or null when the process is gone.</summary>
    public static long? Memory(int pid, string field = "VmRSS")
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (!line.StartsWith(field + ":", StringComparison.Ordinal)) continue;
                var kb = line[(field.Length + 1)..].Trim().Split(' ')[0];
                return long.Parse(kb) * 1024;
            }
        }
        catch (IOException) { }
        return null;
    }

    /// <summary>Resets VmHWM to the current RSS (Linux 4.0+), so the next read is the peak from now on.</summary>
    public static bool ResetPeak(int pid)
    {
        try { File.WriteAllText($"/proc/{pid}/clear_refs", "5"); return true; }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return false; }
    }

    /// <summary>User + system CPU time of a process so far; with <paramref name="children"/>, also that of
    /// its children that have exited and been waited for.</summary>
    public static TimeSpan Cpu(int? pid, bool children = false)
    {
        if (pid is null) return TimeSpan.Zero;
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            // After "pid (comm) ": state is field 0, utime 11, stime 12, cutime 13, cstime 14.
            var ticks = long.Parse(fields[11]) + long.Parse(fields[12]);
            if (children) ticks += long.Parse(fields[13]) + long.Parse(fields[14]);
            return TimeSpan.FromSeconds(ticks / TicksPerSecond);
        }
        catch (IOException) { return TimeSpan.Zero; }
    }

    /// <summary>Busy and total time of all CPUs together since boot, from /proc/stat.</summary>
    public static (TimeSpan Busy, TimeSpan Total) Machine()
    {
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries)[1..].Select(long.Parse).ToArray();
        var total = fields.Take(8).Sum(); // user nice system idle iowait irq softirq steal
        var idle = fields[3] + fields[4];
        return (TimeSpan.FromSeconds((total - idle) / TicksPerSecond), TimeSpan.FromSeconds(total / TicksPerSecond));
    }
}

/// <summary>Samples a process's RSS on its own thread (so a busy thread pool cannot delay it) until disposed.</summary>
public sealed class RssSampler : IDisposable
{
    private readonly int _pid;
    private readonly Thread _thread;
    private volatile bool _stop;
    private long _max;

    public RssSampler(int pid, TimeSpan interval)
    {
        _pid = pid;
        _thread = new Thread(() =>
        {
            while (!_stop)
            {
                if (ProcStats.Memory(_pid) is { } rss && rss > _max) _max = rss;
                Thread.Sleep(interval);
            }
        }) { IsBackground = true, Name = "rss-sampler", Priority = ThreadPriority.AboveNormal };
        _thread.Start();
    }

    /// <summary>Highest sample, and VmHWM, which also catches peaks between samples.</summary>
    public long Peak => Math.Max(Interlocked.Read(ref _max), ProcStats.Memory(_pid, "VmHWM") ?? 0);

    public void Dispose()
    {
        _stop = true;
        _thread.Join();
    }
}
