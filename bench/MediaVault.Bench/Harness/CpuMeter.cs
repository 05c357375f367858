namespace MediaVault.Bench.Harness;

/// <summary>CPU time used by a few processes, and how busy the whole machine was, between start and <see cref="Stop"/>.</summary>
public sealed class CpuMeter
{
    private readonly IReadOnlyDictionary<string, int[]> _groups;
    private readonly Dictionary<string, TimeSpan> _start;
    private readonly (TimeSpan Busy, TimeSpan Total) _machine;

    /// <param name="groups">name → the processes counted under it (e.g. "Ceph" → radosgw, ceph-osd, ceph-mon).</param>
    public CpuMeter(IReadOnlyDictionary<string, int[]> groups)
    {
        _groups = groups;
        _start = groups.ToDictionary(g => g.Key, g => Sum(g.Value));
        _machine = ProcStats.Machine();
    }

    public sealed record Usage(IReadOnlyDictionary<string, TimeSpan> ByGroup, double MachineBusy);

    public Usage Stop()
    {
        var (busy, total) = ProcStats.Machine();
        var used = _groups.ToDictionary(g => g.Key, g => Sum(g.Value) - _start[g.Key]);
        return new Usage(used, total == _machine.Total ? 0 : (busy - _machine.Busy) / (total - _machine.Total));
    }

    private static TimeSpan Sum(int[] pids) => pids.Aggregate(TimeSpan.Zero, (sum, pid) => sum + ProcStats.Cpu(pid));
}
