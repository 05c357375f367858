using System.Net;
using MediaVault.Data;
using MediaVault.Profiles;
using MediaVault.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace MediaVault.Tests.Apps;

/// <summary>GET /community: every registered user, ordered by id, with fresh picture URLs.</summary>
public abstract class CommunityTests(MediaVaultApplication app)
{
    [Fact]
    public async Task ShowsEveryUserWithTheirSavedPictureAndNullsForTheRest()
    {
        using var saver = await app.NewUserAsync();
        using var silent = await app.NewUserAsync();
        var png = TestImages.Png(66, 66);
        var preview = await saver.UploadPictureOkAsync(png);
        var profile = await saver.PutProfileOkAsync($$"""{"displayName":"Cleo","pictureKey":"{{preview.Key}}"}""");
        var silentId = (await silent.GetFromJsonOk<ProfileDto>("/profile")).UserId;
        var unsaved = await silent.UploadPictureOkAsync(TestImages.Png()); // a preview is not a picture

        var members = await silent.AllMembersAsync();

        var shown = members.Single(m => m.UserId == profile.UserId);
        Assert.Equal("Cleo", shown.DisplayName);
        Assert.Equal(png, await ApiExtensions.DownloadAsync(shown.PictureUrl!));
        Assert.InRange(shown.PictureUrlExpiresAt!.Value - app.Clock.GetUtcNow(), TimeSpan.FromDays(7) - TimeSpan.FromMinutes(1), TimeSpan.FromDays(7));
        Assert.Equal(new MemberDto(silentId, null, null, null), members.Single(m => m.UserId == silentId));
        Assert.DoesNotContain(members, m => m.PictureUrl?.Contains(unsaved.Key) == true);
    }

    [Fact]
    public async Task PagesAreOrderedByUserIdWithoutRepeats()
    {
        using var user = await app.NewUserAsync();
        for (var i = 0; i < 4; i++) (await app.NewUserAsync()).Dispose();
        var seen = new List<MemberDto>();
        string? cursor = null;
        do
        {
            var page = await user.GetFromJsonOk<MemberPage>("/community?limit=2" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor)));
            Assert.InRange(page.Items.Count, 1, 2);
            seen.AddRange(page.Items);
            cursor = page.NextCursor;
        } while (cursor is not null);

        var ids = seen.Select(m => m.UserId).ToList();
        Assert.True(ids.Count >= 5, $"{ids.Count} members");
        Assert.Equal(ids.Distinct().Count(), ids.Count);
        Assert.Equal(ids.Order(StringComparer.Ordinal), ids);
        Assert.Equal(ids, (await user.AllMembersAsync()).Select(m => m.UserId));
    }

    [Fact]
    public async Task DefaultPageIsFifty()
    {
        using var user = await app.NewUserAsync();
        while ((await user.AllMembersAsync()).Count <= 50) (await app.NewUserAsync()).Dispose();
        var page = await user.GetFromJsonOk<MemberPage>("/community");
        Assert.Equal(50, page.Items.Count);
        Assert.NotNull(page.NextCursor);
        Assert.InRange((await user.GetFromJsonOk<MemberPage>("/community?limit=100")).Items.Count, 51, 100);
    }

    [Theory]
    [InlineData("/community?limit=0")]
    [InlineData("/community?limit=101")]
    [InlineData("/community?limit=abc")]
    [InlineData("/community?cursor=garbage%00")]
    [InlineData("/community?cursor=")]
    public async Task BadParametersAre400(string path)
    {
        using var user = await app.NewUserAsync();
        await (await user.GetAsync(path)).ShouldBeProblem(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task EveryReadSignsAFreshUrlAndIsNotCached()
    {
        using var user = await app.NewUserAsync();
        var preview = await user.UploadPictureOkAsync(TestImages.Png());
        var saved = await user.PutProfileOkAsync($$"""{"pictureKey":"{{preview.Key}}"}""");
        var first = (await user.AllMembersAsync()).Single(m => m.UserId == saved.UserId);
        app.Clock.Advance(TimeSpan.FromMinutes(1)); // small: S3 signatures dated far ahead of the server's clock are refused
        var second = (await user.AllMembersAsync()).Single(m => m.UserId == saved.UserId);
        Assert.True(second.PictureUrlExpiresAt > first.PictureUrlExpiresAt);
        Assert.True((await user.GetAsync("/community")).Headers.CacheControl?.NoStore);
    }

    [Fact]
    public async Task LegacyFullUrlPicturesArePassedThroughAsTheyAre()
    {
        using var user = await app.NewUserAsync();
        var userId = (await user.GetFromJsonOk<ProfileDto>("/profile")).UserId;
        const string legacy = "https://cdn.example.com/avatars/old-me.jpg";
        using (var scope = app.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<MediaVaultDb>();
            db.Profiles.Add(new Profile { UserId = userId, DisplayName = "Old timer", PictureKey = legacy, UpdatedAt = DateTime.UtcNow.AddYears(-2) });
            await db.SaveChangesAsync();
        }

        Assert.Equal(new ProfileDto(userId, "Old timer", legacy, legacy, null), await user.GetFromJsonOk<ProfileDto>("/profile"));
        Assert.Equal(new MemberDto(userId, "Old timer", legacy, null), (await user.AllMembersAsync()).Single(m => m.UserId == userId));
        // Renaming keeps it; replacing it with an upload works and deletes nothing in storage for the old URL.
        Assert.Equal(legacy, (await user.PutProfileOkAsync("""{"displayName":"Renamed"}""")).PictureUrl);
        var keys = await app.ObjectKeysAsync();
        var preview = await user.UploadPictureOkAsync(TestImages.Png());
        var replaced = await user.PutProfileOkAsync($$"""{"pictureKey":"{{preview.Key}}"}""");
        Assert.Equal(preview.Key, replaced.PictureKey);
        Assert.Equal(keys.Append(preview.Key).Order(StringComparer.Ordinal), (await app.ObjectKeysAsync()).Order(StringComparer.Ordinal));
        // A client cannot store a full URL itself: only seeded legacy rows carry one.
        await (await user.PutProfileAsync($$"""{"pictureKey":"{{legacy}}"}""")).ShouldBeValidationProblem("pictureKey");
    }
}

public sealed class LocalCommunityTests(LocalApp app) : CommunityTests(app), IClassFixture<LocalApp>;

public sealed class S3CommunityTests(S3App app) : CommunityTests(app), IClassFixture<S3App>;
