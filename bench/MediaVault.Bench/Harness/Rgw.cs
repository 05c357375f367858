namespace MediaVault.Bench.Harness;

/// <summary>A throwaway Ceph RGW from scripts/rgw-up.sh, objects in RAM. Restarted (wiped) between
/// measurements: deleted objects wait hours for RGW's garbage collector, and the leftovers of one run
/// made the next one's multipart uploads slower.</summary>
public sealed class Rgw : IAsyncDisposable
{
    private readonly string _repo;
    private readonly string _dataDir;
    private readonly long _memstoreBytes;
    private TimeSpan _cpuOfEarlier;

    private Rgw(string repo, string dataDir, long memstoreBytes) => (_repo, _dataDir, _memstoreBytes) = (repo, dataDir, memstoreBytes);

    public string Endpoint { get; private set; } = "";
    public string AccessKey { get; private set; } = "";
    public string SecretKey { get; private set; } = "";
    public string Region { get; private set; } = "us-east-1";
    public long MemstoreBytes => _memstoreBytes;

    /// <summary>radosgw, ceph-osd and ceph-mon, for CPU accounting.</summary>
    public int[] Pids => new[] { "rgw", "osd", "mon" }.Select(name =>
    {
        try { return int.Parse(File.ReadAllText(Path.Combine(_dataDir, "pids", name + ".pid")).Trim()); }
        catch (Exception e) when (e is IOException or FormatException) { return 0; }
    }).Where(pid => pid > 0).ToArray();

    /// <summary>CPU time of every Ceph daemon this object started, those running included.</summary>
    public TimeSpan CpuUsed => _cpuOfEarlier + Pids.Aggregate(TimeSpan.Zero, (sum, pid) => sum + ProcStats.Cpu(pid));

    public static async Task<Rgw> StartAsync(string repo, string dataDir, long memstoreBytes)
    {
        var rgw = new Rgw(repo, dataDir, memstoreBytes);
        await rgw.UpAsync();
        return rgw;
    }

    /// <summary>Stops, wipes and starts again, empty; the endpoint's port changes.</summary>
    public async Task RestartAsync()
    {
        await DownAsync();
        await UpAsync();
    }

    private async Task UpAsync()
    {
        string output;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                output = await Shell.RunAsync("bash", [Path.Combine(_repo, "scripts", "rgw-up.sh"), _dataDir, "0"],
                    new Dictionary<string, string> { ["RGW_MEMSTORE_BYTES"] = _memstoreBytes.ToString() });
                break;
            }
            catch (InvalidOperationException e) when (attempt < 3)
            {
                // On a busy machine rgw-up.sh can take a daemon that has not exec'd yet for one that exited.
                Console.WriteLine($"rgw-up.sh failed ({e.Message.Split('\n').FirstOrDefault(l => l.Contains("ERROR")) ?? "see above"}); retrying");
            }
        }
        Endpoint = "";
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = line.Split('=', 2);
            var value = parts.Length == 2 ? parts[1].Trim() : "";
            switch (parts[0])
            {
                case "ENDPOINT": Endpoint = value; break;
                case "ACCESS_KEY": AccessKey = value; break;
                case "SECRET_KEY": SecretKey = value; break;
                case "REGION": Region = value; break;
            }
        }
        if (Endpoint.Length == 0) throw new InvalidOperationException("rgw-up.sh printed no ENDPOINT:\n" + output);
    }

    private async Task DownAsync()
    {
        _cpuOfEarlier = CpuUsed;
        await Shell.RunAsync("bash", [Path.Combine(_repo, "scripts", "rgw-down.sh"), _dataDir, "--wipe"]);
    }

    public async ValueTask DisposeAsync() => await DownAsync();
}
