using System.Net.Http.Json;
using MediaVault.Tests.Infrastructure;
using Microsoft.Playwright;

namespace MediaVault.Tests.Browser;

/// <summary>
/// On a phone-sized screen: a picture chosen on the profile page is previewed at once from the URL the
/// upload answered (not saved yet), Save keeps it with the display name, and the community page shows it.
/// </summary>
public abstract class WebUiProfileTests(WebUiSite site, ChromiumFixture chromium)
{
    [Fact]
    public async Task APictureIsPreviewedAtOnceThenSavedAndTheCommunityPageShowsIt()
    {
        await using var ui = await WebUiSession.OpenAsync(site, chromium, width: 375, height: 740);
        var page = ui.Page;
        await ui.SignUpAsync();
        await ui.AssertFitsWidthAsync();
        using var api = await ui.ApiAsync();
        const string name = "Ada Lovelace";

        await ui.GoAsync("Profile");
        await ui.Heading("Your profile").WaitForAsync();
        await page.GetByLabel("Display name").FillAsync(name);
        await page.GetByLabel("Choose a picture").SetInputFilesAsync(WebUiPhotos.Make("teal.png", 256, 256));

        var preview = page.GetByRole(AriaRole.Img, new() { Name = "Your picture" });
        await Assertions.Expect(preview).ToBeVisibleAsync();
        await ui.AssertImagesDisplayedAsync(1);
        Assert.StartsWith(site.StorageBase, await preview.GetAttributeAsync("src"));
        await Assertions.Expect(page.GetByText("This is a preview. Press Save profile to keep it.")).ToBeVisibleAsync();
        Assert.Null((await api.GetFromJsonAsync<UiProfile>("/profile"))!.PictureKey); // a preview only
        await ui.AssertEveryControlNamedAsync();
        await ui.AssertFitsWidthAsync();

        await ui.Button("Save profile").ClickAsync();
        await Assertions.Expect(page.GetByText("Profile saved.")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#whoami")).ToHaveTextAsync(name); // "Signed in as"
        var saved = (await api.GetFromJsonAsync<UiProfile>("/profile"))!;
        Assert.Equal(name, saved.DisplayName);
        Assert.NotNull(saved.PictureKey);
        await ui.ScreenshotAsync("profile");

        await ui.GoAsync("Community");
        await ui.Heading("Community").WaitForAsync();
        var mine = page.GetByRole(AriaRole.Img, new() { Name = $"Picture of {name}" });
        await Assertions.Expect(mine).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.List, new() { Name = "Members" })).ToContainTextAsync($"{name} (you)");
        await ui.AssertImagesDisplayedAsync(1);
        await ui.AssertFitsWidthAsync();
        await ui.AssertEveryControlNamedAsync();
        await ui.AssertNoCspViolationsAsync();
    }

    [Fact]
    public async Task AFileThatIsNotAPictureIsRefusedInPlainWords()
    {
        await using var ui = await WebUiSession.OpenAsync(site, chromium, width: 375, height: 740);
        await ui.SignUpAsync();
        await ui.GoAsync("Profile");
        await ui.Heading("Your profile").WaitForAsync();
        await ui.Page.GetByLabel("Choose a picture").SetInputFilesAsync(new FilePayload
        {
            Name = "notes.png", MimeType = "image/png", Buffer = "these are not the bytes of a picture"u8.ToArray(),
        });
        await Assertions.Expect(ui.Page.GetByRole(AriaRole.Alert)).ToContainTextAsync("The picture was not uploaded:");
        await Assertions.Expect(ui.Page.GetByRole(AriaRole.Img, new() { Name = "Your picture" })).ToHaveCountAsync(0);
        await ui.AssertNoCspViolationsAsync();
    }

    public sealed record UiProfile(string UserId, string? DisplayName, string? PictureKey, string? PictureUrl);
}

public sealed class LocalWebUiProfileTests(LocalWebUiSite site, ChromiumFixture chromium)
    : WebUiProfileTests(site, chromium), IClassFixture<LocalWebUiSite>, IClassFixture<ChromiumFixture>;

public sealed class S3WebUiProfileTests(S3WebUiSite site, ChromiumFixture chromium)
    : WebUiProfileTests(site, chromium), IClassFixture<S3WebUiSite>, IClassFixture<ChromiumFixture>;
