using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MediaVault.Cleanup;
using MediaVault.Storage;
using MediaVault.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace MediaVault.Tests.Cleanup;

/// <summary>The audit reports objects without rows and rows without objects, and deletes nothing.</summary>
public abstract class AuditTests(MediaVaultApplication app)
{
    [Fact]
    public async Task AuditCountsOrphansBothWaysAndDeletesNothing()
    {
        using var user = await app.NewUserAsync();
        var kept = await user.UploadOkAsync(TestImages.Png());
        var lost = await user.UploadOkAsync(TestImages.Png());
        var pending = await user.PresignAsync("p.png", "image/png", 100);
        await ApiExtensions.SendToStorageAsync(pending, TestImages.Png()); // named by its upload row
        var store = app.Services.GetRequiredService<IObjectStore>();
        var orphan = $"images/{Guid.NewGuid():N}.png";
        await store.PutAsync(orphan, new MemoryStream(TestImages.Png()), "image/png", default);
        await store.DeleteAsync(lost.Key, default);
        // Nothing is young enough to be in flight any more (objects are dated by the real clock).
        var later = DateTimeOffset.UtcNow + UploadSweeper.Grace + TimeSpan.FromMinutes(1);
        if (later > app.Clock.GetUtcNow()) app.Clock.SetUtcNow(later);

        var report = await app.Services.GetRequiredService<StorageAudit>().AuditOnceAsync(default);

        Assert.Equal(1, report.ObjectsWithoutRows);
        Assert.Equal(1, report.RowsWithoutObjects);
        Assert.Contains("object " + orphan, report.Examples);
        Assert.Contains("row " + lost.Key, report.Examples);
        var keys = await app.ObjectKeysAsync();
        Assert.Contains(orphan, keys);
        Assert.Contains(kept.Key, keys);
        Assert.Contains(pending.Key, keys);

        using var ready = await app.Anonymous().GetAsync("/health/ready");
        var body = await ready.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(1, body.GetProperty("audit").GetProperty("objectsWithoutRows").GetInt64());
        Assert.Equal(1, body.GetProperty("audit").GetProperty("rowsWithoutObjects").GetInt64());
    }

    [Fact]
    public async Task ReadinessNamesTheDatabaseAndTheStore()
    {
        using var anon = app.Anonymous();
        using var live = await anon.GetAsync("/health/live");
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        using var ready = await anon.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        var checks = (await ready.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("checks");
        Assert.Equal("Healthy", checks.GetProperty("database").GetProperty("status").GetString());
        Assert.Equal("Healthy", checks.GetProperty("storage").GetProperty("status").GetString());
    }
}

public sealed class LocalAuditTests(LocalApp app) : AuditTests(app), IClassFixture<LocalApp>;

public sealed class S3AuditTests(S3App app) : AuditTests(app), IClassFixture<S3App>;
