using System.Net;
using MediaVault.Tests.Infrastructure;

namespace MediaVault.Tests.Apps;

/// <summary>Seed 004's profile: upload a picture for a preview, then save it with PUT /profile.</summary>
public abstract class ProfilesTests(MediaVaultApplication app)
{
    [Fact]
    public async Task PictureUploadGivesAPreviewForSevenDaysWithoutChangingTheProfile()
    {
        using var user = await app.NewUserAsync();
        var jpeg = TestImages.Jpeg(90, 90);
        var preview = await user.UploadPictureOkAsync(jpeg, "me.jpg", "image/jpeg");

        Assert.StartsWith("avatars/", preview.Key);
        Assert.InRange(preview.ExpiresAt - app.Clock.GetUtcNow(), TimeSpan.FromDays(7) - TimeSpan.FromMinutes(1), TimeSpan.FromDays(7));
        Assert.Equal(jpeg, await ApiExtensions.DownloadAsync(preview.Url));
        Assert.Contains(preview.Key, await app.ObjectKeysAsync());
        Assert.Null((await user.GetFromJsonOk<ProfileDto>("/profile")).PictureKey);
    }

    [Fact]
    public async Task ProfileIsNullsBeforeTheFirstSave()
    {
        using var user = await app.NewUserAsync();
        var response = await user.GetAsync("/profile");
        await response.ShouldBe(HttpStatusCode.OK);
        Assert.True(response.Headers.CacheControl?.NoStore);
        var profile = (await System.Net.Http.Json.HttpContentJsonExtensions.ReadFromJsonAsync<ProfileDto>(response.Content))!;
        Assert.False(string.IsNullOrEmpty(profile.UserId));
        Assert.Equal(new ProfileDto(profile.UserId, null, null, null, null), profile);
    }

    [Fact]
    public async Task SavingThePreviewKeyMakesItThePictureAndAbsentFieldsStay()
    {
        using var user = await app.NewUserAsync();
        var png = TestImages.Png(80, 80);
        var preview = await user.UploadPictureOkAsync(png);

        var saved = await user.PutProfileOkAsync($$"""{"displayName":"Ann","pictureKey":"{{preview.Key}}"}""");

        Assert.Equal(("Ann", preview.Key), (saved.DisplayName, saved.PictureKey));
        Assert.Equal(png, await ApiExtensions.DownloadAsync(saved.PictureUrl!));
        Assert.InRange(saved.PictureUrlExpiresAt!.Value - app.Clock.GetUtcNow(), TimeSpan.FromDays(7) - TimeSpan.FromMinutes(1), TimeSpan.FromDays(7));
        var renamed = await user.PutProfileOkAsync("""{"displayName":"Ann B."}""");
        Assert.Equal(("Ann B.", preview.Key), (renamed.DisplayName, renamed.PictureKey));
        var untouched = await user.PutProfileOkAsync("{}");
        Assert.Equal(("Ann B.", preview.Key), (untouched.DisplayName, untouched.PictureKey));
        var read = await user.GetFromJsonOk<ProfileDto>("/profile");
        Assert.Equal((saved.UserId, "Ann B.", preview.Key), (read.UserId, read.DisplayName, read.PictureKey));
        Assert.Equal(png, await ApiExtensions.DownloadAsync(read.PictureUrl!));
    }

    [Fact]
    public async Task ReplacingThePictureDeletesTheOldOneWithItsObject()
    {
        using var user = await app.NewUserAsync();
        var first = await user.UploadPictureOkAsync(TestImages.Png(10, 10));
        await user.PutProfileOkAsync($$"""{"pictureKey":"{{first.Key}}"}""");
        var second = await user.UploadPictureOkAsync(TestImages.Gif(11, 11), "me.gif", "image/gif");

        var saved = await user.PutProfileOkAsync($$"""{"pictureKey":"{{second.Key}}"}""");

        Assert.Equal(second.Key, saved.PictureKey);
        var keys = await app.ObjectKeysAsync();
        Assert.DoesNotContain(first.Key, keys);
        Assert.Contains(second.Key, keys);
        // The old key is nobody's picture any more.
        await (await user.PutProfileAsync($$"""{"pictureKey":"{{first.Key}}"}""")).ShouldBeValidationProblem("pictureKey");
        Assert.Equal(second.Key, (await user.GetFromJsonOk<ProfileDto>("/profile")).PictureKey);
    }

    [Fact]
    public async Task SavingTheSameKeyAgainKeepsTheObject()
    {
        using var user = await app.NewUserAsync();
        var preview = await user.UploadPictureOkAsync(TestImages.Png());
        await user.PutProfileOkAsync($$"""{"pictureKey":"{{preview.Key}}"}""");
        var again = await user.PutProfileOkAsync($$"""{"displayName":"Same","pictureKey":"{{preview.Key}}"}""");
        Assert.Equal(preview.Key, again.PictureKey);
        Assert.Contains(preview.Key, await app.ObjectKeysAsync());
        Assert.Equal(TestImages.Png(), await ApiExtensions.DownloadAsync(again.PictureUrl!));
    }

    [Fact]
    public async Task ClearingWithNullDeletesThePictureAndItsObject()
    {
        using var user = await app.NewUserAsync();
        var preview = await user.UploadPictureOkAsync(TestImages.Png());
        await user.PutProfileOkAsync($$"""{"displayName":"Bo","pictureKey":"{{preview.Key}}"}""");

        var cleared = await user.PutProfileOkAsync("""{"pictureKey":null}""");

        Assert.Equal(("Bo", (string?)null, (string?)null, (DateTimeOffset?)null),
            (cleared.DisplayName, cleared.PictureKey, cleared.PictureUrl, cleared.PictureUrlExpiresAt));
        Assert.DoesNotContain(preview.Key, await app.ObjectKeysAsync());
        Assert.Null((await user.PutProfileOkAsync("""{"displayName":null}""")).DisplayName);
        Assert.Null((await user.GetFromJsonOk<ProfileDto>("/profile")).DisplayName);
    }

    [Fact]
    public async Task RefusesPictureKeysThatAreNotTheCallersOwnAvatars()
    {
        using var owner = await app.NewUserAsync();
        using var user = await app.NewUserAsync();
        var theirPreview = await owner.UploadPictureOkAsync(TestImages.Png());
        var theirSaved = await owner.UploadPictureOkAsync(TestImages.Png());
        await owner.PutProfileOkAsync($$"""{"pictureKey":"{{theirSaved.Key}}"}""");
        var mineAsImage = await user.UploadOkAsync(TestImages.Png());
        var myPreview = await user.UploadPictureOkAsync(TestImages.Png());
        var before = await user.PutProfileOkAsync($$"""{"displayName":"Me","pictureKey":"{{myPreview.Key}}"}""");

        foreach (var key in new[]
                 {
                     theirPreview.Key, theirSaved.Key, mineAsImage.Key, "", " ", "avatars/", $"avatars/{Guid.NewGuid():N}.png",
                     $"avatars/../{mineAsImage.Key}", "../../etc/passwd", "https://cdn.example.com/avatars/x.png",
                     myPreview.Url, new string('a', 3000),
                 })
        {
            var json = System.Text.Json.JsonSerializer.Serialize(new { displayName = "Changed", pictureKey = key });
            await (await user.PutProfileAsync(json)).ShouldBeValidationProblem("pictureKey");
        }

        var after = await user.GetFromJsonOk<ProfileDto>("/profile");
        Assert.Equal((before.DisplayName, before.PictureKey), (after.DisplayName, after.PictureKey));
        var keys = await app.ObjectKeysAsync();
        Assert.Contains(theirPreview.Key, keys);
        Assert.Contains(theirSaved.Key, keys);
        Assert.Equal(theirSaved.Key, (await owner.GetFromJsonOk<ProfileDto>("/profile")).PictureKey);
    }

    [Fact]
    public async Task DeletingThePictureAsAnImageClearsItFromTheProfile()
    {
        using var user = await app.NewUserAsync();
        var preview = await user.UploadPictureOkAsync(TestImages.Png());
        await user.PutProfileOkAsync($$"""{"displayName":"Di","pictureKey":"{{preview.Key}}"}""");
        var image = (await user.GetFromJsonOk<ImagePage>("/images")).Items.Single(i => i.Key == preview.Key);
        Assert.Equal("avatars", image.Collection);

        await (await user.DeleteAsync($"/images/{image.Id}")).ShouldBe(HttpStatusCode.NoContent);

        var profile = await user.GetFromJsonOk<ProfileDto>("/profile");
        Assert.Equal(("Di", (string?)null, (string?)null), (profile.DisplayName, profile.PictureKey, profile.PictureUrl));
        Assert.DoesNotContain(preview.Key, await app.ObjectKeysAsync());
    }

    [Fact]
    public async Task DisplayNameIsAtMostOneHundredCharacters()
    {
        using var user = await app.NewUserAsync();
        Assert.Equal(100, (await user.PutProfileOkAsync($$"""{"displayName":"{{new string('é', 100)}}"}""")).DisplayName!.Length);
        await (await user.PutProfileAsync($$"""{"displayName":"{{new string('x', 101)}}"}""")).ShouldBeValidationProblem("displayName");
        var huge = await user.SendAsync(new HttpRequestMessage(HttpMethod.Put, "/profile")
        {
            Content = AppsApi.Json($$"""{"displayName":"{{new string('x', 1024 * 1024)}}","pictureKey":"{{new string('k', 1024 * 1024)}}"}"""),
            Headers = { ExpectContinue = true }, // a server refusing on Content-Length alone answers before the body is sent
        });
        Assert.True(huge.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.RequestEntityTooLarge, $"{(int)huge.StatusCode}");
        Assert.Equal("application/problem+json", huge.Content.Headers.ContentType?.MediaType);
        Assert.Equal(new string('é', 100), (await user.GetFromJsonOk<ProfileDto>("/profile")).DisplayName);
    }
}

public sealed class LocalProfilesTests(LocalApp app) : ProfilesTests(app), IClassFixture<LocalApp>;

public sealed class S3ProfilesTests(S3App app) : ProfilesTests(app), IClassFixture<S3App>;
