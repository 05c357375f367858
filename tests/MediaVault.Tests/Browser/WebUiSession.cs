using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using MediaVault.Tests.Infrastructure;
using Microsoft.Playwright;

namespace MediaVault.Tests.Browser;

/// <summary>
/// One person in a fresh browser context on the app's web UI: what the console said, every CSP
/// violation the page saw, and each progress report of each upload (window.mvProgress), recorded from
/// before the first script runs. Also the same person's API client, to check what the UI did.
/// </summary>
public sealed partial class WebUiSession(WebUiSite site, IBrowserContext context, IPage page) : IAsyncDisposable
{
    public const string Password = "Str0ng!Passw0rd";
    public IPage Page => page;
    public List<string> Console { get; } = [];
    public string Email { get; } = $"sam-{Guid.NewGuid().ToString("N")[..8]}@example.com";

    public static async Task<WebUiSession> OpenAsync(WebUiSite site, ChromiumFixture chromium, int width = 1000, int height = 900)
    {
        var context = await chromium.Browser.NewContextAsync(new() { ViewportSize = new() { Width = width, Height = height } });
        await context.AddInitScriptAsync("""
            window.mvCsp = []; window.mvProgress = [];
            document.addEventListener('securitypolicyviolation', (e) => window.mvCsp.push(`${e.violatedDirective} ${e.blockedURI}`));
            document.addEventListener('mv-upload-progress', (e) => window.mvProgress.push({ ...e.detail, at: performance.now() }));
            """);
        var session = new WebUiSession(site, context, await context.NewPageAsync());
        session.Page.Console += (_, m) => session.Console.Add($"{m.Type}: {m.Text}");
        session.Page.PageError += (_, e) => session.Console.Add($"pageerror: {e}");
        return session;
    }

    public string Why => "console:\n" + string.Join('\n', Console);

    /// <summary>Creates an account through the sign-up page; the UI signs the new account in.</summary>
    public async Task SignUpAsync()
    {
        await page.GotoAsync($"{site.Origin}/#/sign-up");
        await page.GetByLabel("E-mail address").FillAsync(Email);
        await page.GetByLabel("Password").FillAsync(Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Create account" }).ClickAsync();
        await Heading("Products").WaitForAsync();
    }

    public ILocator Heading(string name) => page.GetByRole(AriaRole.Heading, new() { Name = name, Exact = true, Level = 1 });

    public ILocator Button(string name) => page.GetByRole(AriaRole.Button, new() { Name = name, Exact = true });

    public Task GoAsync(string link) => page.GetByRole(AriaRole.Navigation).GetByRole(AriaRole.Link, new() { Name = link, Exact = true }).ClickAsync();

    /// <summary>This person's API client (a token of their own, from POST /auth/login).</summary>
    public async Task<HttpClient> ApiAsync()
    {
        var client = site.App.Anonymous();
        var login = await client.PostAsJsonAsync("/auth/login", new { email = Email, password = Password });
        login.EnsureSuccessStatusCode();
        var token = (await login.Content.ReadFromJsonAsync<Dictionary<string, object>>())!["accessToken"].ToString();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>Every img on the page has loaded and decoded: naturalWidth > 0. Answers how many there are.</summary>
    public async Task<int> AssertImagesDisplayedAsync(int atLeast = 1)
    {
        await page.WaitForFunctionAsync("() => [...document.images].every(i => i.complete)");
        var images = (await page.EvaluateAsync<JsonElement>("() => [...document.images].map(i => ({ src: i.currentSrc || i.src, width: i.naturalWidth }))"))
            .Deserialize<ImageState[]>(JsonSerializerOptions.Web)!;
        Assert.True(images.Length >= atLeast, $"{images.Length} images on the page, expected at least {atLeast}");
        Assert.All(images, i => Assert.True(i.Width > 0, $"not displayed: {i.Src}\n{Why}"));
        return images.Length;
    }

    public sealed record ImageState(string Src, int Width);

    /// <summary>Every control and image in the accessibility tree has a name (Chromium's own computation).</summary>
    public async Task AssertEveryControlNamedAsync()
    {
        var tree = await page.Locator("body").AriaSnapshotAsync();
        var unnamed = tree.Split('\n').Where(line => Unnamed().IsMatch(line)).ToList();
        Assert.True(unnamed.Count == 0, $"controls without an accessible name:\n{string.Join('\n', unnamed)}\n--- tree ---\n{tree}");
    }

    [GeneratedRegex("""^\s*- (button|link|textbox|checkbox|radio|combobox|spinbutton|slider|searchbox|switch|tab|menuitem|img|progressbar)( \[[^\]]*\])*:?\s*$""")]
    private static partial Regex Unnamed();

    /// <summary>The page sits in the viewport's width: nothing to scroll sideways on a phone.</summary>
    public async Task AssertFitsWidthAsync()
    {
        var widths = await page.EvaluateAsync<int[]>("() => [document.documentElement.scrollWidth, window.innerWidth]");
        Assert.True(widths[0] <= widths[1], $"the page is {widths[0]} px wide in a {widths[1]} px viewport");
    }

    public async Task AssertNoCspViolationsAsync()
    {
        var violations = await page.EvaluateAsync<string[]>("() => window.mvCsp");
        Assert.True(violations.Length == 0, $"CSP violations: {string.Join(", ", violations)}\n{Why}");
        Assert.DoesNotContain(Console, line => line.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>A screenshot for the README, from one store's run only: into docs/screenshots/NAME.png when
    /// MEDIAVAULT_SCREENSHOTS=docs (to refresh the README's pictures), else into .tmp/screenshots, so that
    /// a test run leaves the tree as it found it.</summary>
    public async Task ScreenshotAsync(string name, bool fullPage = true)
    {
        if (!site.WritesScreenshots) return;
        var docs = Environment.GetEnvironmentVariable("MEDIAVAULT_SCREENSHOTS") == "docs";
        var dir = Path.Combine(RgwServer.RepoRoot(), docs ? "docs" : ".tmp", "screenshots");
        Directory.CreateDirectory(dir);
        await page.ScreenshotAsync(new() { Path = Path.Combine(dir, name + ".png"), FullPage = fullPage });
    }

    public async ValueTask DisposeAsync() => await context.DisposeAsync();
}
