using MediaVault.Cleanup;
using MediaVault.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace MediaVault.Tests.Apps;

/// <summary>A picture uploaded for a preview and never saved is swept by clean-up after Profiles:PreviewLifetime;
/// a saved one stays. The app here keeps previews 2 hours: past the test app's clean-up interval (1 day) the
/// fake clock would wake the background clean-up, which would race the run the test makes itself.</summary>
public abstract class ProfilePreviewSweepTests(MediaVaultApplication app)
{
    [Fact]
    public async Task UnsavedPreviewIsSweptAfterItsLifetimeAndTheSavedPictureStays()
    {
        using var user = await app.NewUserAsync();
        var abandoned = await user.UploadPictureOkAsync(TestImages.Png(20, 20));
        var saved = await user.UploadPictureOkAsync(TestImages.Png(21, 21));
        await user.PutProfileOkAsync($$"""{"pictureKey":"{{saved.Key}}"}""");
        var job = app.Services.GetRequiredService<CleanupJob>();

        app.Clock.Advance(TimeSpan.FromMinutes(110));
        await job.RunOnceAsync(default);
        var keys = await app.ObjectKeysAsync();
        Assert.Contains(abandoned.Key, keys); // the user may still save it
        Assert.Contains(saved.Key, keys);

        app.Clock.Advance(TimeSpan.FromMinutes(20));
        await job.RunOnceAsync(default);
        keys = await app.ObjectKeysAsync();
        Assert.DoesNotContain(abandoned.Key, keys);
        Assert.Contains(saved.Key, keys);

        await app.LogInAgainAsync(user);
        Assert.Equal(saved.Key, (await user.GetFromJsonOk<ProfileDto>("/profile")).PictureKey);
        await (await user.PutProfileAsync($$"""{"pictureKey":"{{abandoned.Key}}"}""")).ShouldBeValidationProblem("pictureKey");
        Assert.Equal(saved.Key, (await user.GetFromJsonOk<ProfileDto>("/profile")).PictureKey);
    }
}

/// <summary>The default lifetime is a day. Past it the test app's background clean-up wakes too, so the test
/// waits (boundedly) for whichever run takes the preview rather than assuming its own did.</summary>
public abstract class DefaultPreviewLifetimeTests(MediaVaultApplication app)
{
    [Fact]
    public async Task UnsavedPreviewLivesADayByDefault()
    {
        using var user = await app.NewUserAsync();
        var abandoned = await user.UploadPictureOkAsync(TestImages.Png(22, 22));
        var job = app.Services.GetRequiredService<CleanupJob>();

        app.Clock.Advance(TimeSpan.FromHours(23));
        await job.RunOnceAsync(default);
        Assert.Contains(abandoned.Key, await app.ObjectKeysAsync());

        app.Clock.Advance(TimeSpan.FromHours(2));
        await job.RunOnceAsync(default);
        var keys = await app.ObjectKeysAsync();
        for (var i = 0; i < 40 && keys.Contains(abandoned.Key); i++)
        {
            await Task.Delay(250);
            keys = await app.ObjectKeysAsync();
        }
        Assert.DoesNotContain(abandoned.Key, keys);
    }
}

public sealed class LocalDefaultPreviewLifetimeTests(LocalApp app) : DefaultPreviewLifetimeTests(app), IClassFixture<LocalApp>;

public sealed class S3DefaultPreviewLifetimeTests(S3App app) : DefaultPreviewLifetimeTests(app), IClassFixture<S3App>;

public sealed class LocalShortPreviewApp(RgwServer rgw)
    : MediaVaultApplication(StoreKind.Local, rgw, new Dictionary<string, string?> { ["Profiles:PreviewLifetime"] = "02:00:00" });

public sealed class S3ShortPreviewApp(RgwServer rgw)
    : MediaVaultApplication(StoreKind.S3, rgw, new Dictionary<string, string?> { ["Profiles:PreviewLifetime"] = "02:00:00" });

public sealed class LocalProfilePreviewSweepTests(LocalShortPreviewApp app) : ProfilePreviewSweepTests(app), IClassFixture<LocalShortPreviewApp>;

public sealed class S3ProfilePreviewSweepTests(S3ShortPreviewApp app) : ProfilePreviewSweepTests(app), IClassFixture<S3ShortPreviewApp>;
