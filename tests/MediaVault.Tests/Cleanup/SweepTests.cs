using System.Net.Http.Json;
using System.Net;
using MediaVault.Cleanup;
using MediaVault.Data;
using MediaVault.Storage;
using MediaVault.Tests.Infrastructure;
using MediaVault.Uploads;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace MediaVault.Tests.Cleanup;

/// <summary>Clean-up with several instances: each row is acted on once, and work left half-done is finished.</summary>
public abstract class SweepTests(MediaVaultApplication app)
{
    [Fact]
    public async Task TwoInstancesSweepingTheSameExpiredUploadsSettleEachOnce()
    {
        await using var other = await app.AnotherInstanceAsync();
        using var user = await app.NewUserAsync();
        var png = TestImages.Png();
        var uploads = new List<PresignResponse>();
        for (var i = 0; i < 24; i++)
        {
            var p = await user.PresignAsync("a.png", "image/png", png.Length);
            (await ApiExtensions.SendToStorageAsync(p, png)).EnsureSuccessStatusCode();
            uploads.Add(p);
        }
        app.Clock.Advance(TimeSpan.FromHours(2));
        other.Clock.Advance(TimeSpan.FromHours(2));

        var swept = await Task.WhenAll(
            app.Services.GetRequiredService<UploadSweeper>().SweepOnceAsync(default),
            other.Services.GetRequiredService<UploadSweeper>().SweepOnceAsync(default));

        // Each upload settled by exactly one instance (the class's other tests may leave expired uploads too).
        Assert.Empty(swept[0].Intersect(swept[1]));
        Assert.Subset(swept[0].Concat(swept[1]).ToHashSet(), uploads.Select(u => u.UploadId).ToHashSet());
        var keys = await app.ObjectKeysAsync();
        Assert.All(uploads, u => Assert.DoesNotContain(u.Key, keys));
        Assert.Empty(await other.Services.GetRequiredService<UploadSweeper>().SweepOnceAsync(default));
    }

    [Fact]
    public async Task ASweepThatDiedAfterClaimingIsFinishedByTheNextRun()
    {
        using var user = await app.NewUserAsync();
        var p = await user.PresignAsync("a.png", "image/png", 100);
        await ApiExtensions.SendToStorageAsync(p, TestImages.Png());
        app.Clock.Advance(TimeSpan.FromHours(2));
        // As if another instance claimed the upload and died before deleting anything.
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var now = app.Clock.GetUtcNow().UtcDateTime;
            await scope.ServiceProvider.GetRequiredService<MediaVaultDb>().Uploads.Where(u => u.Id == p.UploadId)
                .ExecuteUpdateAsync(s => s.SetProperty(u => u.ClaimToken, Guid.NewGuid()).SetProperty(u => u.ClaimedAt, now));
        }
        var sweeper = app.Services.GetRequiredService<UploadSweeper>();

        Assert.DoesNotContain(p.UploadId, await sweeper.SweepOnceAsync(default)); // the claim is still live
        Assert.Contains(p.Key, await app.ObjectKeysAsync());

        app.Clock.Advance(DirectUploads.ClaimTimeout + TimeSpan.FromSeconds(1));
        Assert.Contains(p.UploadId, await sweeper.SweepOnceAsync(default));
        Assert.DoesNotContain(p.Key, await app.ObjectKeysAsync());
        await app.LogInAgainAsync(user);
        await (await user.CompleteAsync(p.UploadId)).ShouldBeProblem(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task RegisteringAnUploadTheCleanUpMayAlreadyHoldIsRefusedAndWritesNothing()
    {
        using var user = await app.NewUserAsync();
        var p = await user.PresignAsync("a.png", "image/png", 100);
        await ApiExtensions.SendToStorageAsync(p, TestImages.Png());
        app.Clock.Advance(TimeSpan.FromHours(2)); // past its URL's expiry and the clean-up's grace
        await app.LogInAgainAsync(user);

        var problem = await (await user.CompleteAsync(p.UploadId)).ShouldBeProblem(HttpStatusCode.Conflict);
        Assert.Equal("Upload expired", problem.Title);
        string finalKey;
        await using (var scope = app.Services.CreateAsyncScope())
            finalKey = (await scope.ServiceProvider.GetRequiredService<MediaVaultDb>().Uploads.SingleAsync(u => u.Id == p.UploadId)).FinalKey!;
        Assert.DoesNotContain(finalKey, await app.ObjectKeysAsync()); // no final object for clean-up to race with
    }

    [Fact]
    public async Task UploadHandedOutBeforeFinalKeysWereRecordedCompletesUnderItsOldKeyShape()
    {
        using var user = await app.NewUserAsync();
        var p = await user.PresignAsync("a.png", "image/png", 100);
        await ApiExtensions.SendToStorageAsync(p, TestImages.Png());
        await using (var scope = app.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<MediaVaultDb>().Uploads.Where(u => u.Id == p.UploadId)
                .ExecuteUpdateAsync(s => s.SetProperty(u => u.FinalKey, (string?)null));

        var image = (await (await user.CompleteAsync(p.UploadId)).Content.ReadFromJsonAsync<ImageDto>())!;
        Assert.Matches($"^images/[0-9a-f-]+/{image.Id:N}\\.png$", image.Key); // the shape clean-up derives for such rows
        Assert.Equal(TestImages.Png(), await ApiExtensions.DownloadAsync(image.Url));
    }

    [Fact]
    public async Task ProxiedUploadWhoseProcessDiedIsRemovedByCleanUp()
    {
        using var user = await app.NewUserAsync();
        var kept = await user.UploadOkAsync(TestImages.Png());
        // What a process killed between storing the object and saving its row leaves: the object and the row naming it.
        string key;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<MediaVaultDb>();
            var now = app.Clock.GetUtcNow().UtcDateTime;
            var imageId = Guid.CreateVersion7();
            key = $"images/{imageId:N}.png";
            db.Uploads.Add(new Upload
            {
                Id = Guid.CreateVersion7(), OwnerId = "dead", Collection = "images", FinalKey = key, ImageId = imageId, Filename = "a.png",
                DeclaredType = "image/png", Method = Upload.ProxiedMethod, State = UploadState.Processing, CreatedAt = now,
                ExpiresAt = now + ImageIngest.ProxiedUploadLifetime, ClaimedAt = now, ClaimToken = Guid.NewGuid(),
            });
            await db.SaveChangesAsync();
            await scope.ServiceProvider.GetRequiredService<IObjectStore>().PutAsync(key, new MemoryStream(TestImages.Png()), "image/png", default);
        }
        var job = app.Services.GetRequiredService<CleanupJob>();

        await job.RunOnceAsync(default);
        Assert.Contains(key, await app.ObjectKeysAsync()); // the upload may still be streaming

        app.Clock.Advance(ImageIngest.ProxiedUploadLifetime + UploadSweeper.Grace + TimeSpan.FromMinutes(1));
        await job.RunOnceAsync(default);

        var keys = await app.ObjectKeysAsync();
        Assert.DoesNotContain(key, keys);
        Assert.Contains(kept.Key, keys);
        await using (var scope = app.Services.CreateAsyncScope())
            Assert.False(await scope.ServiceProvider.GetRequiredService<MediaVaultDb>().Uploads.AnyAsync(u => u.FinalKey == key));
    }
}

public sealed class LocalSweepTests(LocalApp app) : SweepTests(app), IClassFixture<LocalApp>;

public sealed class S3SweepTests(S3App app) : SweepTests(app), IClassFixture<S3App>;
