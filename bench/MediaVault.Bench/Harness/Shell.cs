using System.Diagnostics;

namespace MediaVault.Bench.Harness;

/// <summary>Runs the project's scripts and small tools; finds the repository.</summary>
public static class Shell
{
    public static async Task<string> RunAsync(string file, IEnumerable<string> args, IDictionary<string, string>? env = null, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) start.ArgumentList.Add(a);
        foreach (var (k, v) in env ?? new Dictionary<string, string>()) start.Environment[k] = v;
        if (workingDirectory is not null) start.WorkingDirectory = workingDirectory;
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {file}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed ({process.ExitCode}):\n{await stderr}");
        return await stdout;
    }

    /// <summary>Output of a command, or null when it is missing or fails (for machine facts).</summary>
    public static async Task<string?> TryRunAsync(string file, params string[] args)
    {
        try { return (await RunAsync(file, args)).Trim(); }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception) { return null; }
    }

    public static string RepoRoot()
    {
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "MediaVault.slnx"))) return dir.FullName;
        }
        throw new InvalidOperationException("Cannot find the repository root (MediaVault.slnx); run from inside the repository.");
    }
}
