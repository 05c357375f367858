using System.Diagnostics;
using System.Text.RegularExpressions;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using MediaVault.Storage;
using MediaVault.Tests.Infrastructure;
using MediaVault.Tests.Scale;

namespace MediaVault.Tests.Api;

/// <summary>
/// README's "A session with curl", exactly as a stranger pastes it into a fresh bash, against the built
/// app in a process of its own. Only the server address (the first `B=`) is the test's; the rest of the
/// block runs as written, with -euo pipefail, so an unset variable or a failing step fails the test.
/// </summary>
public sealed partial class ReadmeTests(RgwServer rgw) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mediavault-readme-").FullName;

    [Theory]
    [InlineData(StoreKind.Local)]
    [InlineData(StoreKind.S3)]
    public async Task TheCurlSessionRunsTopToBottomInAFreshShell(StoreKind store)
    {
        var bucket = "mv-" + Guid.NewGuid().ToString("N")[..20];
        await using var app = await AppProcess.StartAsync("readme", AppEnvironment(store, bucket), TimeSpan.FromSeconds(60));
        var session = PointedAt(CurlSession(), app.BaseAddress);

        var (exitCode, output) = await RunBashAsync(session);

        var explain = $"--- the session's output ---\n{output}\n--- output of the app ---\n{app.Output}";
        Assert.True(exitCode == 0, $"the session ended with {exitCode}\n{explain}");
        Assert.Matches(@"(?m)^register me-\d+@example\.com: 200$", output);
        var proxied = Id(output, "uploaded through the server: image ");
        Assert.Contains("PUT to storage: 200", output);
        var put = Id(output, "registered the PUT upload: image ");
        Assert.Contains("POST to storage: 204", output);
        var post = Id(output, "registered the POST upload: image ");
        Assert.Contains($"3 images: {post} {put} {proxied}", output); // newest first
        var signed = Line(output, $"signed URL of image {proxied}: ");
        Assert.StartsWith(store == StoreKind.Local ? app.BaseAddress.GetLeftPart(UriPartial.Authority) : rgw.Endpoint, signed);
        Assert.Contains("downloaded: the same bytes as cat.png", output);
        Assert.Contains($"DELETE image {proxied}: 204", output);

        // What the server kept: the two images left, each one object; no staging object, nothing of the deleted one.
        var keys = await ObjectKeysAsync(store, bucket);
        Assert.True(keys.Count == 2, $"objects in the store: {string.Join(", ", keys)}\n{explain}");
        Assert.Contains(keys, k => k.StartsWith("images/") && k.EndsWith($"/{put:N}.png"));
        Assert.Contains(keys, k => k.StartsWith("images/") && k.EndsWith($"/{post:N}.png"));
    }

    /// <summary>The ```sh block under "### A session with curl" in README.md.</summary>
    private static string CurlSession()
    {
        var readme = File.ReadAllText(Path.Combine(RgwServer.RepoRoot(), "README.md"));
        var match = SessionBlock().Match(readme);
        Assert.True(match.Success, "README.md has no ```sh block under \"### A session with curl\"");
        return match.Groups["script"].Value;
    }

    /// <summary>The session with the value of its first B= (the server) replaced, and nothing else.</summary>
    private static string PointedAt(string session, Uri server)
    {
        Assert.True(FirstB().IsMatch(session), "the curl session sets no B=");
        return FirstB().Replace(session, "B=" + server.GetLeftPart(UriPartial.Authority), 1);
    }

    private Dictionary<string, string> AppEnvironment(StoreKind store, string bucket)
    {
        var environment = new Dictionary<string, string>
        {
            ["MediaVault__Database__ConnectionString"] = $"Data Source={Path.Combine(_dir, "mv.db")}",
            ["MediaVault__Storage__Provider"] = store.ToString(),
            ["MediaVault__Storage__Local__Root"] = Path.Combine(_dir, "storage"),
        };
        if (store == StoreKind.S3) InstanceEnvironment.AddS3(environment, rgw, bucket);
        return environment;
    }

    /// <summary>bash -euo pipefail -c SESSION in an empty folder of its own, stdin closed; stdout and stderr as one.</summary>
    private async Task<(int ExitCode, string Output)> RunBashAsync(string session)
    {
        var work = Directory.CreateDirectory(Path.Combine(_dir, "shell")).FullName;
        var start = new ProcessStartInfo("bash")
        {
            WorkingDirectory = work, UseShellExecute = false,
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true,
        };
        foreach (var argument in new[] { "-euo", "pipefail", "-c", session }) start.ArgumentList.Add(argument);
        start.Environment.Remove("BASH_ENV"); // a fresh shell: nothing sourced before the session
        using var bash = Process.Start(start)!;
        bash.StandardInput.Close();
        var output = new System.Text.StringBuilder();
        bash.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        bash.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        bash.BeginOutputReadLine();
        bash.BeginErrorReadLine();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromMinutes(2));
        try { await bash.WaitForExitAsync(timeout.Token); }
        catch (OperationCanceledException)
        {
            bash.Kill(entireProcessTree: true);
            await bash.WaitForExitAsync(CancellationToken.None);
        }
        bash.WaitForExit(); // the last lines of output
        lock (output) return (bash.ExitCode, output.ToString());
    }

    private async Task<List<string>> ObjectKeysAsync(StoreKind store, string bucket)
    {
        if (store == StoreKind.Local)
        {
            var objects = Path.Combine(_dir, "storage", "objects");
            return Directory.Exists(objects)
                ? [.. Directory.EnumerateFiles(objects, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(objects, f).Replace('\\', '/'))]
                : [];
        }
        using var s3 = new AmazonS3Client(new BasicAWSCredentials(rgw.AccessKey, rgw.SecretKey),
            StorageSetup.S3Config(new S3StorageOptions { ServiceUrl = rgw.Endpoint, Region = rgw.Region }));
        var listed = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket }, TestContext.Current.CancellationToken);
        return [.. (listed.S3Objects ?? []).Select(o => o.Key)];
    }

    private static string Line(string output, string prefix)
    {
        var line = output.Split('\n').Select(l => l.TrimEnd('\r')).FirstOrDefault(l => l.StartsWith(prefix));
        Assert.True(line is not null, $"no line starting \"{prefix}\" in:\n{output}");
        return line[prefix.Length..];
    }

    private static Guid Id(string output, string prefix) => Guid.Parse(Line(output, prefix));

    [GeneratedRegex(@"^### A session with curl\s*?\n(?:(?!^#).*\n)*?^```sh\n(?<script>(?:(?!^```).*\n)*)^```", RegexOptions.Multiline)]
    private static partial Regex SessionBlock();

    [GeneratedRegex(@"^B=\S+", RegexOptions.Multiline)]
    private static partial Regex FirstB();

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }
}
