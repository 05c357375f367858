using Microsoft.Playwright;

namespace MediaVault.Tests.Browser;

/// <summary>
/// One headless Debian Chromium per test class, driven by Playwright's bundled node driver. Tests
/// take a new context each (their own cookies, storage and cache), so they cannot leak into one another.
/// </summary>
public sealed class ChromiumFixture : IAsyncLifetime
{
    // Debian's build, installed by scripts/test.sh: `playwright install` would download a browser,
    // and nothing but package registries is reachable here.
    public const string Executable = "/usr/bin/chromium";

    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        if (!File.Exists(Executable))
            throw new InvalidOperationException($"{Executable} is missing: run scripts/test.sh, or apt-get install chromium.");
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = Executable,
            // No sandbox as root in a container; no GPU; no calls home (there is no network to call).
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
            Headless = true,
        });
    }

    public Task<IBrowserContext> NewContextAsync() => Browser.NewContextAsync();

    public async ValueTask DisposeAsync()
    {
        if (Browser is not null) await Browser.DisposeAsync();
        _playwright?.Dispose();
    }
}
