using System.Net;
using MediaVault.Tests.Infrastructure;
using Microsoft.Playwright;

namespace MediaVault.Tests.Browser;

/// <summary>
/// The app's own pages: sign up, sign out and sign in with the keyboard; the headers every page
/// carries (a CSP naming exactly the storage origin of this store); the API untouched by the UI.
/// </summary>
public abstract class WebUiShellTests(WebUiSite site, ChromiumFixture chromium)
{
    [Fact]
    public async Task SomeoneSignsUpSignsOutAndSignsInAgainWithTheKeyboard()
    {
        await using var ui = await WebUiSession.OpenAsync(site, chromium, width: 375, height: 740);
        var page = ui.Page;
        await page.GotoAsync($"{site.Origin}/");
        await ui.Heading("Sign in").WaitForAsync(); // anyone not signed in starts here
        await ui.AssertEveryControlNamedAsync();
        await ui.AssertFitsWidthAsync();
        await ui.SignUpAsync();
        await Assertions.Expect(page.Locator("#whoami")).ToHaveTextAsync(ui.Email);

        await ui.Button("Sign out").ClickAsync();
        await ui.Heading("Sign in").WaitForAsync();
        await Assertions.Expect(page.GetByText("You are signed out.")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Navigation)).ToBeHiddenAsync();

        // Mistakes are told in plain words: the same e-mail again, a wrong password.
        await page.GetByRole(AriaRole.Link, new() { Name = "Create an account" }).ClickAsync();
        await page.GetByLabel("E-mail address").FillAsync(ui.Email);
        await page.GetByLabel("Password").FillAsync(WebUiSession.Password);
        await ui.Button("Create account").ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("There is already an account with this e-mail address. Sign in instead.");
        await page.GetByRole(AriaRole.Link, new() { Name = "Sign in" }).ClickAsync();
        await ui.Heading("Sign in").WaitForAsync();
        await page.GetByLabel("E-mail address").FillAsync(ui.Email);
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.TypeAsync("not-the-password");
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("That e-mail address and password do not match an account.");

        await page.GetByLabel("Password").FillAsync("");
        await page.GetByLabel("Password").FocusAsync();
        await page.Keyboard.TypeAsync(WebUiSession.Password);
        await page.Keyboard.PressAsync("Enter");
        await ui.Heading("Products").WaitForAsync();
        await Assertions.Expect(page.Locator("#whoami")).ToHaveTextAsync(ui.Email);
        await ui.AssertFitsWidthAsync();
        await ui.AssertEveryControlNamedAsync();

        // Tokens live in the page's memory only.
        Assert.Equal(0, await page.EvaluateAsync<int>("() => localStorage.length + sessionStorage.length"));
        Assert.Empty(await page.Context.CookiesAsync());
        await ui.AssertNoCspViolationsAsync();
    }

    [Fact]
    public async Task EveryPageCarriesACspThatAllowsOnlyTheAppAndItsStorage()
    {
        using var http = site.App.Anonymous();
        var storage = site.StorageOrigin is { } origin ? " " + origin : "";
        foreach (var path in new[] { "/", "/index.html", "/app/main.js", "/app.css", "/lib/uppy/uppy.min.mjs" })
        {
            using var response = await http.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(
                $"default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' blob: data:{storage}; connect-src 'self'{storage}; " +
                "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'",
                string.Join(",", response.Headers.GetValues("Content-Security-Policy")));
            Assert.Equal("nosniff", string.Join(",", response.Headers.GetValues("X-Content-Type-Options")));
            Assert.Equal("no-referrer", string.Join(",", response.Headers.GetValues("Referrer-Policy")));
            Assert.True(response.Headers.CacheControl?.NoCache, $"{path}: {response.Headers.CacheControl}");
            Assert.NotNull(response.Headers.ETag);

            // Revalidation is cheap: the same file again is a 304.
            using var again = new HttpRequestMessage(HttpMethod.Get, path);
            again.Headers.IfNoneMatch.Add(response.Headers.ETag);
            Assert.Equal(HttpStatusCode.NotModified, (await http.SendAsync(again)).StatusCode);
        }
        using var module = await http.GetAsync("/lib/uppy/uppy.min.mjs");
        Assert.Equal("text/javascript", module.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task ApiRoutesStayTheApisUnknownOnesAreProblemsNotThePage()
    {
        using var http = site.App.Anonymous();
        using var unknown = await http.GetAsync("/products-that-do-not-exist");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("application/problem+json", unknown.Content.Headers.ContentType?.MediaType);
        // The API's policy (nothing may load, never framed), not the page's.
        Assert.Equal("default-src 'none'; frame-ancestors 'none'", string.Join(",", unknown.Headers.GetValues("Content-Security-Policy")));
        using var anonymous = await http.GetAsync("/products");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        using var health = await http.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }
}

public sealed class LocalWebUiShellTests(LocalWebUiSite site, ChromiumFixture chromium)
    : WebUiShellTests(site, chromium), IClassFixture<LocalWebUiSite>, IClassFixture<ChromiumFixture>;

public sealed class S3WebUiShellTests(S3WebUiSite site, ChromiumFixture chromium)
    : WebUiShellTests(site, chromium), IClassFixture<S3WebUiSite>, IClassFixture<ChromiumFixture>;
