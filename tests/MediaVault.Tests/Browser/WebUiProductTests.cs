using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using MediaVault.Tests.Infrastructure;
using Microsoft.Playwright;

namespace MediaVault.Tests.Browser;

/// <summary>
/// A shop owner in Chromium: eight images picked at once on the New product page upload straight to
/// storage with their own progress (on a throttled link), one upload is cut off and retried on its
/// own, Submit waits for all of them, and the product keeps the order shown; then the edit page
/// reorders and removes images, and the API agrees.
/// </summary>
public abstract class WebUiProductTests(WebUiSite site, ChromiumFixture chromium)
{
    private static readonly string[] Files = ["red.jpg", "orange.png", "yellow.webp", "green.jpg", "pink.gif", "teal.png", "blue.jpg", "purple.png"];
    private const string Failing = "pink.gif";

    [Fact]
    public async Task EightImagesUploadInParallelWithProgressAndAFailedOneIsRetriedAlone()
    {
        await using var ui = await WebUiSession.OpenAsync(site, chromium);
        var page = ui.Page;
        await ui.SignUpAsync();
        await ui.GoAsync("New product");
        await ui.Heading("New product").WaitForAsync();
        await page.GetByLabel("Name").FillAsync("Rainbow chair");
        await page.GetByLabel("Description (optional)").FillAsync("Eight colours.\nOne chair.");
        await page.GetByLabel("Price (optional)").FillAsync("129.50");
        var submit = ui.Button("Create product");
        await Assertions.Expect(submit).ToBeEnabledAsync(); // nothing to wait for yet: a product may have no images

        // Every PUT of the GIF to storage is cut off (Uppy retries a network error by itself) until the person presses Retry.
        var failing = true;
        var (cutOff, putsToStorage, proxied) = (0, 0, 0);
        await page.RouteAsync(url => url.StartsWith(site.StorageBase, StringComparison.Ordinal), async route =>
        {
            var request = route.Request;
            if (failing && request.Method == "PUT" && request.Headers.GetValueOrDefault("content-type") == "image/gif")
            {
                Interlocked.Increment(ref cutOff);
                await route.AbortAsync("connectionreset");
                return;
            }
            if (request.Method == "PUT") Interlocked.Increment(ref putsToStorage);
            await route.ContinueAsync();
        });
        page.Request += (_, r) => { if (r.Url.Contains("/images/upload", StringComparison.Ordinal)) Interlocked.Increment(ref proxied); };
        // A slow uplink, so that each file's progress is seen between 0 and 100 %.
        var cdp = await page.Context.NewCDPSessionAsync(page);
        await cdp.SendAsync("Network.enable");
        await cdp.SendAsync("Network.emulateNetworkConditions", new Dictionary<string, object>
        {
            ["offline"] = false, ["latency"] = 20, ["downloadThroughput"] = 4_000_000, ["uploadThroughput"] = 256 * 1024,
        });

        var chooser = page.WaitForFileChooserAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "choose images" }).ClickAsync();
        await (await chooser).SetFilesAsync(Files.Select(f => WebUiPhotos.Make(f)));

        // Thumbnails at once, while the bytes are still on their way.
        foreach (var name in Files) await Assertions.Expect(page.GetByRole(AriaRole.Img, new() { Name = name, Exact = true })).ToBeVisibleAsync();
        await Assertions.Expect(submit).ToBeDisabledAsync();
        await page.WaitForFunctionAsync("() => window.mvProgress.some(p => p.bytesUploaded > 0 && p.bytesUploaded < p.bytesTotal)");
        // Mid-way for the README: some images done, others on their way.
        await Assertions.Expect(page.GetByText(new Regex("^Uploading: [3-7] of 8 images done\\.$"))).ToBeVisibleAsync(new() { Timeout = 60_000 });
        await ui.ScreenshotAsync("new-product-uploading");

        var retry = ui.Button($"Retry {Failing}");
        await Assertions.Expect(retry).ToBeVisibleAsync(new() { Timeout = 60_000 });
        await Assertions.Expect(page.GetByRole(AriaRole.List, new() { Name = "Uploads that need attention" }))
            .ToContainTextAsync("did not go through: the connection failed or was interrupted");
        await Assertions.Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "1 of 8 images failed" })).ToBeVisibleAsync(new() { Timeout = 60_000 });
        await Assertions.Expect(submit).ToBeDisabledAsync();
        Assert.True(cutOff >= 1);
        var progressBeforeRetry = await ProgressAsync(page);
        Assert.False(progressBeforeRetry.ContainsKey(Failing), "bytes of the cut-off file reached storage");

        failing = false;
        await retry.ClickAsync();
        await Assertions.Expect(page.GetByText("All 8 images uploaded.")).ToBeVisibleAsync(new() { Timeout = 60_000 });
        await Assertions.Expect(submit).ToBeEnabledAsync();

        // Each file reported progress of its own, part of the way and then all of it; three at a time at most.
        var progress = await ProgressAsync(page);
        foreach (var name in Files)
        {
            Assert.True(progress.TryGetValue(name, out var reports), $"no progress for {name}");
            Assert.Contains(reports, r => r.BytesUploaded > 0 && r.BytesUploaded < r.BytesTotal);
            Assert.Equal(reports[^1].BytesTotal, reports[^1].BytesUploaded);
        }
        Assert.InRange(MostAtOnce(await ReportsAsync(page)), 2, 3);
        // The bytes went straight to storage (on S3: to Ceph RGW), never through the app.
        Assert.Equal((Files.Length, 0), (putsToStorage, proxied));

        var shown = await page.Locator(".uppy-Dashboard-Item-name").AllInnerTextsAsync();
        Assert.Equal(Files, shown.Select(s => s.Trim()));
        await submit.ClickAsync();
        await ui.Heading("Rainbow chair").WaitForAsync();
        Assert.Equal(8, await ui.AssertImagesDisplayedAsync(8));

        using var api = await ui.ApiAsync();
        var id = page.Url.Split("#/products/")[1];
        var product = await api.GetFromJsonAsync<UiProduct>($"/products/{id}");
        Assert.Equal(Files, product!.Images.Select(i => i.Filename));
        Assert.Equal(("Eight colours.\nOne chair.", 129.50m), (product.Description, product.Price));
        await ui.AssertEveryControlNamedAsync();
        await ui.AssertNoCspViolationsAsync();
    }

    [Fact]
    public async Task ImagesOfADraftThatIsLeftBehindAreDeleted()
    {
        await using var ui = await WebUiSession.OpenAsync(site, chromium);
        await ui.SignUpAsync();
        using var api = await ui.ApiAsync();
        await ui.GoAsync("New product");
        var chooser = ui.Page.WaitForFileChooserAsync();
        await ui.Page.GetByRole(AriaRole.Button, new() { Name = "choose images" }).ClickAsync();
        await (await chooser).SetFilesAsync([WebUiPhotos.Make("red.png", 64, 48), WebUiPhotos.Make("blue.jpg", 64, 48)]);
        await Assertions.Expect(ui.Page.GetByText("All 2 images uploaded.")).ToBeVisibleAsync(new() { Timeout = 60_000 });
        Assert.Equal(2, (await api.GetFromJsonAsync<ImagePage>("/images"))!.Items.Count);

        await ui.GoAsync("Gallery");
        await ui.Heading("Products").WaitForAsync();
        Assert.Empty((await api.GetFromJsonAsync<ImagePage>("/images"))!.Items); // deleted before the next page is drawn
        await ui.AssertNoCspViolationsAsync();
    }

    /// <summary>Upload-progress reports per file name, in the order they came.</summary>
    private static async Task<Dictionary<string, List<ProgressReport>>> ProgressAsync(IPage page) =>
        (await ReportsAsync(page)).GroupBy(p => p.Name).ToDictionary(g => g.Key, g => g.ToList());

    private static async Task<List<ProgressReport>> ReportsAsync(IPage page) =>
        (await page.EvaluateAsync<JsonElement>("() => window.mvProgress")).Deserialize<List<ProgressReport>>(JsonSerializerOptions.Web)!;

    /// <summary>How many files were part-way at the same moment.</summary>
    private static int MostAtOnce(IEnumerable<ProgressReport> reports)
    {
        var active = new HashSet<string>();
        var most = 0;
        foreach (var r in reports)
        {
            if (r.BytesUploaded < r.BytesTotal) active.Add(r.Name);
            else active.Remove(r.Name);
            most = Math.Max(most, active.Count);
        }
        return most;
    }

    public sealed record ProgressReport(string Name, long BytesUploaded, long BytesTotal, double At);
}

public sealed record UiProduct(Guid Id, string OwnerId, string Name, string? Description, decimal? Price, List<ImageDto> Images);

public sealed class LocalWebUiProductTests(LocalWebUiSite site, ChromiumFixture chromium)
    : WebUiProductTests(site, chromium), IClassFixture<LocalWebUiSite>, IClassFixture<ChromiumFixture>;

public sealed class S3WebUiProductTests(S3WebUiSite site, ChromiumFixture chromium)
    : WebUiProductTests(site, chromium), IClassFixture<S3WebUiSite>, IClassFixture<ChromiumFixture>;
