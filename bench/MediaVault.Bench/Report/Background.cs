using MediaVault.Bench.Harness;

namespace MediaVault.Bench.Report;

/// <summary>How busy the machine was with work that is not the benchmark's: before it started, and
/// during it (all CPU time minus the harness, the apps it started and Ceph).</summary>
public sealed class Background
{
    private (TimeSpan Busy, TimeSpan Total) _start;
    private TimeSpan _oursAtStart;

    public double BusyBefore { get; private init; }
    public double OtherDuring { get; private set; }

    public static async Task<Background> StartAsync()
    {
        var before = ProcStats.Machine();
        await Task.Delay(TimeSpan.FromSeconds(2));
        var after = ProcStats.Machine();
        var busy = (after.Busy - before.Busy) / (after.Total - before.Total);
        if (busy > 0.1) Console.WriteLine($"warning: the machine is {busy:P0} busy before the benchmark starts; figures will be noisy");
        return new Background { BusyBefore = busy, _start = after, _oursAtStart = ProcStats.Cpu(Environment.ProcessId, children: true) };
    }

    /// <summary>Ends the accounting; the apps must have exited (their time is then in our children's).</summary>
    public void Stop(TimeSpan cephCpu)
    {
        var end = ProcStats.Machine();
        var ours = ProcStats.Cpu(Environment.ProcessId, children: true) - _oursAtStart + cephCpu;
        OtherDuring = Math.Max(0, (end.Busy - _start.Busy - ours) / (end.Total - _start.Total));
    }
}
