using System.Text.Json;
using MediaVault.Tests.Infrastructure;
using Microsoft.Playwright;

namespace MediaVault.Tests.Browser;

/// <summary>
/// Uppy in a real Chromium, on a page of another origin, uploads straight to each store with
/// MediaVault's presigned URLs and registers the uploads: CORS has to hold on the API and on storage.
/// </summary>
public abstract class UppyUploadTests(UppySite site, ChromiumFixture chromium)
{
    private static readonly TimeSpan UploadDeadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task UppyOnAnAllowedOriginUploadsEveryChosenImageStraightToStorage()
    {
        using var user = await site.App.NewUserAsync();
        var files = new Dictionary<string, (byte[] Bytes, string Type, int Width, int Height)>
        {
            ["cat.png"] = (TestImages.Png(40, 30), "image/png", 40, 30),
            ["dog.jpg"] = (TestImages.Jpeg(50, 20), "image/jpeg", 50, 20),
            ["wide.png"] = (TestImages.Png(1200, 300), "image/png", 1200, 300),
        };
        await using var context = await chromium.NewContextAsync();
        var (page, console) = await OpenAsync(context, site.Allowed, user);

        var state = await UploadAsync(page, files.Select(f => new FilePayload { Name = f.Key, MimeType = f.Value.Type, Buffer = f.Value.Bytes }));

        var why = $"{state}\nconsole:\n{string.Join('\n', console)}";
        var mv = state.GetProperty("mv");
        Assert.True(mv.GetProperty("error").ValueKind == JsonValueKind.Null, why);
        Assert.True(mv.GetProperty("result").GetProperty("failed").GetArrayLength() == 0, why);
        Assert.Equal(files.Keys.Order(), mv.GetProperty("result").GetProperty("successful").EnumerateArray().Select(n => n.GetString()!).Order());
        foreach (var file in state.GetProperty("files").EnumerateArray())
        {
            Assert.True(file.GetProperty("complete").GetBoolean(), why);
            Assert.Equal(100, file.GetProperty("percentage").GetInt32());
            // Uppy's location is the storage URL it PUT to: the bytes never went through the API.
            Assert.StartsWith(site.StorageBase, file.GetProperty("uploadURL").GetString());
        }
        var successes = mv.GetProperty("events").EnumerateArray().Where(e => e.GetProperty("event").GetString() == "upload-success");
        Assert.Equal(files.Count, successes.Count());
        Assert.All(mv.GetProperty("registered").EnumerateArray(), r => Assert.Equal(201, r.GetProperty("status").GetInt32()));
        Assert.Equal(files.Count, mv.GetProperty("registered").GetArrayLength());

        // What the user's own client sees, downloaded byte for byte.
        var images = (await user.GetFromJsonOk<ImagePage>("/images")).Items;
        Assert.Equal(files.Keys.Order(), images.Select(i => i.Filename).Order());
        foreach (var image in images)
        {
            var sent = files[image.Filename];
            Assert.Equal((sent.Type, sent.Width, sent.Height, (long)sent.Bytes.Length), (image.ContentType, image.Width, image.Height, image.Size));
            Assert.Equal(sent.Bytes, await ApiExtensions.DownloadAsync(image.Url));
        }
    }

    [Fact]
    public async Task UppyOnAnOriginThatIsNotAllowedCannotEvenPresign()
    {
        using var user = await site.App.NewUserAsync();
        var keysBefore = await site.App.ObjectKeysAsync();
        await using var context = await chromium.NewContextAsync();
        var (page, console) = await OpenAsync(context, site.Stranger, user);

        var state = await UploadAsync(page, [new FilePayload { Name = "cat.png", MimeType = "image/png", Buffer = TestImages.Png() }]);

        var why = $"{state}\nconsole:\n{string.Join('\n', console)}";
        var mv = state.GetProperty("mv");
        Assert.Empty(mv.GetProperty("result").GetProperty("successful").EnumerateArray());
        var failed = Assert.Single(mv.GetProperty("result").GetProperty("failed").EnumerateArray());
        // The browser refused the preflight's answer: fetch rejects without a status to show.
        Assert.Contains("Failed to fetch", failed.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Contains(console, line => line.Contains("blocked by CORS policy", StringComparison.Ordinal));
        Assert.Empty(mv.GetProperty("registered").EnumerateArray());
        Assert.Empty((await user.GetFromJsonOk<ImagePage>("/images")).Items);
        Assert.Equal(keysBefore, await site.App.ObjectKeysAsync());
        Assert.False(state.GetProperty("files")[0].GetProperty("complete").GetBoolean(), why);
    }

    /// <summary>Opens the uploader page with the API's origin and the user's token in the fragment.</summary>
    private async Task<(IPage Page, List<string> Console)> OpenAsync(IBrowserContext context, PageServer server, HttpClient user)
    {
        var page = await context.NewPageAsync();
        var console = new List<string>();
        page.Console += (_, m) => console.Add($"{m.Type}: {m.Text}");
        page.PageError += (_, e) => console.Add($"pageerror: {e}");
        var api = site.App.BaseAddress.GetLeftPart(UriPartial.Authority);
        var token = user.DefaultRequestHeaders.Authorization!.Parameter!;
        await page.GotoAsync($"{server.Origin}/#api={Uri.EscapeDataString(api)}&token={Uri.EscapeDataString(token)}");
        await page.WaitForFunctionAsync("() => window.mv?.ready === true");
        return (page, console);
    }

    /// <summary>Chooses the files in the page's file input, as a person would, and waits for Uppy to finish.</summary>
    private static async Task<JsonElement> UploadAsync(IPage page, IEnumerable<FilePayload> files)
    {
        await page.SetInputFilesAsync("#files", files);
        await page.WaitForFunctionAsync("() => window.mv.done === true", null, new() { Timeout = (float)UploadDeadline.TotalMilliseconds });
        return await page.EvaluateAsync<JsonElement>("""
            () => ({
              mv: window.mv,
              files: window.uppy.getFiles().map(f => ({
                name: f.name, complete: !!f.progress.uploadComplete, percentage: f.progress.percentage ?? 0,
                error: f.error ?? null, uploadURL: f.response?.uploadURL ?? null,
              })),
            })
            """);
    }
}

public sealed class LocalUppyUploadTests(LocalUppySite site, ChromiumFixture chromium)
    : UppyUploadTests(site, chromium), IClassFixture<LocalUppySite>, IClassFixture<ChromiumFixture>;

public sealed class S3UppyUploadTests(S3UppySite site, ChromiumFixture chromium)
    : UppyUploadTests(site, chromium), IClassFixture<S3UppySite>, IClassFixture<ChromiumFixture>;
