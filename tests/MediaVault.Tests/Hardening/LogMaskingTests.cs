using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using MediaVault.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MediaVault.Tests.Hardening;

/// <summary>The app's logs, at their most talkative, hold no signature or credential of a URL it handed out or was sent.</summary>
public sealed partial class LogMaskingTests(RgwServer rgw)
{
    [GeneratedRegex(@"(?:X-Amz-Signature|X-Amz-Credential|X-Amz-Security-Token|X-Signature)=([^&\s""]+)", RegexOptions.IgnoreCase)]
    private static partial Regex Secret();

    [Theory]
    [InlineData(StoreKind.Local)]
    [InlineData(StoreKind.S3)]
    public async Task LogsHoldNoSignatureOfUploadsOrReads(StoreKind store)
    {
        var logs = new CapturingProvider();
        await using var app = new LoggedApp(store, rgw, logs);
        await app.InitializeAsync();
        using var user = await app.NewUserAsync();
        var put = await user.DirectUploadOkAsync(TestImages.Png(), method: "PUT");
        var post = await user.DirectUploadOkAsync(TestImages.Png(), method: "POST");
        var proxied = await user.UploadOkAsync(TestImages.Png());
        var p = await user.PresignAsync("a.png", "image/png", 10);
        var secrets = new List<string>();
        foreach (var image in new[] { put, post, proxied })
        {
            await ApiExtensions.DownloadAsync(image.Url);
            secrets.AddRange(Secret().Matches(image.Url).Select(m => Uri.UnescapeDataString(m.Groups[1].Value)));
        }
        secrets.AddRange(Secret().Matches(p.Url).Select(m => Uri.UnescapeDataString(m.Groups[1].Value)));
        secrets.AddRange(p.Fields.Where(f => f.Key.Contains("signature", StringComparison.OrdinalIgnoreCase) || f.Key.Contains("credential", StringComparison.OrdinalIgnoreCase))
            .Select(f => f.Value));
        // A URL with a wrong signature is logged too, and masked all the same.
        var tampered = Secret().Replace(put.Url, m => m.Value[..(m.Value.IndexOf('=') + 1)] + "deadbeefdeadbeef");
        await ApiExtensions.FetchAsync(tampered);
        secrets.Add("deadbeefdeadbeef");

        Assert.NotEmpty(secrets);
        var text = logs.Text();
        Assert.NotEmpty(text);
        if (store == StoreKind.Local) Assert.Contains("X-Signature=***", text); // the request lines were logged, masked
        foreach (var secret in secrets.Where(s => s.Length >= 8).Distinct())
        {
            Assert.DoesNotContain(secret, text);
            Assert.DoesNotContain(Uri.EscapeDataString(secret), text);
        }
    }

    private sealed class LoggedApp(StoreKind store, RgwServer rgw, CapturingProvider logs) : MediaVaultApplication(store, rgw, new Dictionary<string, string?>
    {
        ["Logging:LogLevel:Default"] = "Trace",
        ["Logging:LogLevel:Microsoft.AspNetCore"] = "Trace",
        ["Logging:LogLevel:Microsoft.EntityFrameworkCore"] = "Warning",
    })
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureServices(s => s.AddSingleton<ILoggerProvider>(logs));
        }
    }

    private sealed class CapturingProvider : ILoggerProvider
    {
        private readonly ConcurrentQueue<string> _lines = new();
        public string Text() => string.Join("\n", _lines);
        public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _lines);
        public void Dispose() { }

        private sealed class Logger(string category, ConcurrentQueue<string> lines) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                // The message and every structured value, as a JSON or OpenTelemetry exporter would write them.
                var values = state is IEnumerable<KeyValuePair<string, object?>> pairs ? string.Join(" ", pairs.Select(p => $"{p.Key}={p.Value}")) : "";
                lines.Enqueue($"{category}: {formatter(state, exception)} | {values} | {exception}");
            }
        }
    }
}
