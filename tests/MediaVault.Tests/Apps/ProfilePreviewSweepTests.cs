using MediaVault.Cleanup;
using MediaVault.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace MediaVault.Tests.Apps;

/// <summary>A picture uploaded for a preview and never saved is swept by clean-up after Profiles:PreviewLifetime (1 day);
/// a saved one stays. (A class of its own: it moves the fake clock a day ahead.)</summary>
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

        app.Clock.Advance(TimeSpan.FromHours(23));
        await job.RunOnceAsync(default);
        var keys = await app.ObjectKeysAsync();
        Assert.Contains(abandoned.Key, keys); // the user may still save it
        Assert.Contains(saved.Key, keys);

        app.Clock.Advance(TimeSpan.FromHours(3));
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

public sealed class LocalProfilePreviewSweepTests(LocalApp app) : ProfilePreviewSweepTests(app), IClassFixture<LocalApp>;

public sealed class S3ProfilePreviewSweepTests(S3App app) : ProfilePreviewSweepTests(app), IClassFixture<S3App>;
