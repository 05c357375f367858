using System.Collections.Concurrent;
using MediaVault.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MediaVault.Tests.Accounts;

/// <summary>A test app with a low lockout threshold, that counts password-hash verifications and keeps its log.</summary>
public sealed class LockoutApp(RgwServer rgw) : MediaVaultApplication(StoreKind.Local, rgw, new Dictionary<string, string?>
{
    ["Auth:MaxFailedLogins"] = "3",
    ["Auth:LockoutDuration"] = "00:10:00",
})
{
    public int HashVerifications => _verifications.Count;
    private readonly CountingHasher.Counter _verifications = new();
    public ConcurrentQueue<string> Log { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureLogging(l => l.AddProvider(new QueueLoggerProvider(Log)));
        builder.ConfigureServices(s => s.AddScoped<IPasswordHasher<IdentityUser>>(sp =>
            new CountingHasher(new PasswordHasher<IdentityUser>(sp.GetRequiredService<IOptions<PasswordHasherOptions>>()), _verifications)));
    }

    private sealed class CountingHasher(IPasswordHasher<IdentityUser> inner, CountingHasher.Counter counter) : IPasswordHasher<IdentityUser>
    {
        public sealed class Counter { public int Count; }

        public string HashPassword(IdentityUser user, string password) => inner.HashPassword(user, password);

        public PasswordVerificationResult VerifyHashedPassword(IdentityUser user, string hashedPassword, string providedPassword)
        {
            Interlocked.Increment(ref counter.Count);
            return inner.VerifyHashedPassword(user, hashedPassword, providedPassword);
        }
    }

    private sealed class QueueLoggerProvider(ConcurrentQueue<string> log) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new QueueLogger(log);
        public void Dispose() { }

        private sealed class QueueLogger(ConcurrentQueue<string> log) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
            public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;
            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                log.Enqueue(formatter(state, exception) + " " + exception);
        }
    }
}
