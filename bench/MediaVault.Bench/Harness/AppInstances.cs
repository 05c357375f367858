namespace MediaVault.Bench.Harness;

/// <summary>Instances of the app on one database and store, started together (as a deployment would) and stopped together.</summary>
public sealed class AppInstances(AppProcess[] apps) : IAsyncDisposable, IEnumerable<AppProcess>
{
    public int[] Pids => apps.Select(a => a.Pid).ToArray();

    public static async Task<AppInstances> StartAsync(IEnumerable<Task<AppProcess>> starts)
    {
        var tasks = starts.ToArray();
        try { return new AppInstances(await Task.WhenAll(tasks)); }
        catch
        {
            foreach (var started in tasks.Where(t => t.IsCompletedSuccessfully)) await started.Result.DisposeAsync();
            throw;
        }
    }

    public void EnsureRunning()
    {
        foreach (var app in apps) app.EnsureRunning();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var app in apps) await app.DisposeAsync();
    }

    public IEnumerator<AppProcess> GetEnumerator() => ((IEnumerable<AppProcess>)apps).GetEnumerator();
    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}
