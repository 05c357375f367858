using System.Runtime.InteropServices;
using System.Text.Json;
using MediaVault.Bench.Harness;

namespace MediaVault.Bench.Report;

/// <summary>Facts about where the figures were measured, for the page's header.</summary>
public sealed record Machine(string Cpu, int Cores, long MemoryBytes, string Os, string Kernel, string Runtime, string? Sdk,
    string? Ceph, string? Commit, bool SourceChanged, string? TempFileSystem, string AppGc)
{
    public static async Task<Machine> DescribeAsync(string repo, string workDir)
    {
        var cpu = ReadField("/proc/cpuinfo", "model name", ':') ?? RuntimeInformation.ProcessArchitecture.ToString();
        var memKb = ReadField("/proc/meminfo", "MemTotal", ':')?.Split(' ')[0];
        var os = ReadField("/etc/os-release", "PRETTY_NAME", '=')?.Trim('"') ?? RuntimeInformation.OSDescription;
        var kernel = (await Shell.TryRunAsync("uname", "-r")) ?? RuntimeInformation.OSDescription;
        var status = await Shell.TryRunAsync("git", "-C", repo, "status", "--porcelain", "--", "src");
        return new Machine(cpu, Environment.ProcessorCount, long.TryParse(memKb, out var kb) ? kb * 1024 : 0, os, kernel,
            RuntimeInformation.FrameworkDescription, await Shell.TryRunAsync("dotnet", "--version"),
            (await Shell.TryRunAsync("radosgw", "--version"))?.Split('(')[0].Trim(),
            await Shell.TryRunAsync("git", "-C", repo, "rev-parse", "--short", "HEAD"), !string.IsNullOrEmpty(status),
            await Shell.TryRunAsync("stat", "-f", "-c", "%T", workDir), GcOf(repo));
    }

    /// <summary>The GC the built app runs with, from its runtimeconfig.json.</summary>
    private static string GcOf(string repo)
    {
        try
        {
            var config = Path.ChangeExtension(AppProcess.AppDll(repo), ".runtimeconfig.json");
            using var json = JsonDocument.Parse(File.ReadAllText(config));
            var server = json.RootElement.GetProperty("runtimeOptions").TryGetProperty("configProperties", out var p)
                && p.TryGetProperty("System.GC.Server", out var v) && v.GetBoolean();
            return server ? "server" : "workstation";
        }
        catch (Exception e) when (e is IOException or JsonException or KeyNotFoundException or InvalidOperationException) { return "its default"; }
    }

    private static string? ReadField(string path, string name, char separator)
    {
        try
        {
            return File.ReadLines(path).Select(l => l.Split(separator, 2))
                .FirstOrDefault(p => p.Length == 2 && p[0].Trim() == name)?[1].Trim();
        }
        catch (IOException) { return null; }
    }
}
