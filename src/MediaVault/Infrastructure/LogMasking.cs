using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace MediaVault.Infrastructure;

/// <summary>Every log line goes out with the secrets of signed URLs masked (X-Amz-Signature,
/// X-Amz-Credential, X-Amz-Security-Token, X-Signature): ASP.NET's request lines, HttpClient's and our own.
/// The factory wraps every provider, so a provider added later (a test's, a host's) sees only masked text.</summary>
internal static partial class LogMasking
{
    [GeneratedRegex(@"(X-Amz-Signature|X-Amz-Credential|X-Amz-Security-Token|X-Signature)(=|%3D)[^&\s""'<>]*", RegexOptions.IgnoreCase)]
    private static partial Regex SignedParameter();

    public static string Mask(string text) =>
        text.Contains("X-", StringComparison.OrdinalIgnoreCase) ? SignedParameter().Replace(text, "$1$2***") : text;

    public static WebApplicationBuilder AddLogMasking(this WebApplicationBuilder builder)
    {
        builder.Services.Replace(ServiceDescriptor.Singleton<ILoggerFactory>(sp => new MaskingLoggerFactory(new LoggerFactory(
            sp.GetServices<ILoggerProvider>(), sp.GetRequiredService<IOptionsMonitor<LoggerFilterOptions>>(),
            sp.GetService<IOptions<LoggerFactoryOptions>>(), sp.GetService<IExternalScopeProvider>()))));
        return builder;
    }

    private sealed class MaskingLoggerFactory(ILoggerFactory inner) : ILoggerFactory
    {
        public ILogger CreateLogger(string categoryName) => new MaskingLogger(inner.CreateLogger(categoryName));
        public void AddProvider(ILoggerProvider provider) => inner.AddProvider(provider);
        public void Dispose() => inner.Dispose();
    }

    private sealed class MaskingLogger(ILogger inner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => inner.BeginScope(state);
        public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!inner.IsEnabled(logLevel)) return;
            var message = Mask(formatter(state, exception));
            IReadOnlyList<KeyValuePair<string, object?>> values = state is IReadOnlyList<KeyValuePair<string, object?>> list
                ? list.Select(p => new KeyValuePair<string, object?>(p.Key, p.Value switch
                {
                    null => null,
                    string s => Mask(s),
                    Uri or PathString or QueryString or HostString => Mask(p.Value.ToString()!),
                    _ => p.Value,
                })).ToList()
                : [];
            inner.Log(logLevel, eventId, new MaskedState(values, message), exception, static (s, _) => s.Message);
        }
    }

    /// <summary>The masked values of a structured log entry, and its masked message.</summary>
    private sealed class MaskedState(IReadOnlyList<KeyValuePair<string, object?>> values, string message) : IReadOnlyList<KeyValuePair<string, object?>>
    {
        public string Message => message;
        public KeyValuePair<string, object?> this[int index] => values[index];
        public int Count => values.Count;
        public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => values.GetEnumerator();
        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
        public override string ToString() => message;
    }
}
