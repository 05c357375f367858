using System.Net;
using MediaVault.Tests.Infrastructure;

namespace MediaVault.Tests.Apps;

/// <summary>Writes that race each other: whichever wins, no 5xx, no product showing a missing image, and no
/// object in storage that no image row names.</summary>
public abstract class ProductsConcurrencyTests(MediaVaultApplication app)
{
    [Fact]
    public async Task DeleteRacingAnEditLeavesNoOrphanedObject()
    {
        using var user = await app.NewUserAsync();
        var keysBefore = (await app.ObjectKeysAsync()).ToHashSet();
        for (var round = 0; round < 5; round++)
        {
            var a = await user.UploadOkAsync(TestImages.Png());
            var b = await user.UploadOkAsync(TestImages.Png());
            var added = await user.UploadOkAsync(TestImages.Png());
            var product = await user.CreateProductOkAsync($"Race {round}", [a.Id, b.Id]);

            var patch = user.PatchAsync($"/products/{product.Id}", AppsApi.Json($$"""{"imageIds":{{AppsApi.Ids(added.Id, b.Id)}}}"""));
            var delete = user.DeleteAsync($"/products/{product.Id}");
            var (patched, deleted) = (await patch, await delete);

            await deleted.ShouldBe(HttpStatusCode.NoContent);
            Assert.True(patched.StatusCode is HttpStatusCode.OK or HttpStatusCode.NotFound or HttpStatusCode.Conflict,
                $"{(int)patched.StatusCode} {await patched.Content.ReadAsStringAsync()}");
            await (await user.GetAsync($"/products/{product.Id}")).ShouldBeProblem(HttpStatusCode.NotFound);
        }
        await AssertEveryNewObjectIsNamedByAnImageAsync(user, keysBefore);
    }

    [Fact]
    public async Task DeletingAnImageWhileAnEditListsItLeavesAWholeProduct()
    {
        using var user = await app.NewUserAsync();
        var keysBefore = (await app.ObjectKeysAsync()).ToHashSet();
        for (var round = 0; round < 5; round++)
        {
            var a = await user.UploadOkAsync(TestImages.Png());
            var b = await user.UploadOkAsync(TestImages.Png());
            var product = await user.CreateProductOkAsync($"Race {round}", [a.Id]);

            var patch = user.PatchAsync($"/products/{product.Id}", AppsApi.Json($$"""{"imageIds":{{AppsApi.Ids(b.Id, a.Id)}}}"""));
            var delete = user.DeleteAsync($"/images/{b.Id}");
            var (patched, deleted) = (await patch, await delete);

            Assert.True(patched.StatusCode is HttpStatusCode.OK or HttpStatusCode.BadRequest or HttpStatusCode.Conflict,
                $"{(int)patched.StatusCode} {await patched.Content.ReadAsStringAsync()}");
            await deleted.ShouldBe(HttpStatusCode.NoContent);
            var read = await user.GetFromJsonOk<ProductDto>($"/products/{product.Id}");
            Assert.DoesNotContain(b.Id, read.Images.Select(i => i.Id));
            Assert.Contains(a.Id, read.Images.Select(i => i.Id));
            foreach (var image in read.Images) await ApiExtensions.DownloadAsync(image.Url);
        }
        await AssertEveryNewObjectIsNamedByAnImageAsync(user, keysBefore);
    }

    [Fact]
    public async Task ReplacingTheProfilePictureTwiceAtOnceKeepsOneAndDeletesTheRest()
    {
        using var user = await app.NewUserAsync();
        var keysBefore = (await app.ObjectKeysAsync()).ToHashSet();
        var first = await user.UploadPictureOkAsync(TestImages.Png());
        await user.PutProfileOkAsync($$"""{"pictureKey":"{{first.Key}}"}""");
        var previews = new List<PicturePreview>();
        for (var i = 0; i < 4; i++) previews.Add(await user.UploadPictureOkAsync(TestImages.Png(30 + i, 30)));

        var answers = await Task.WhenAll(previews.Select(p => user.PutProfileAsync($$"""{"pictureKey":"{{p.Key}}"}""")));

        Assert.All(answers, r => Assert.True(r.StatusCode is HttpStatusCode.OK or HttpStatusCode.Conflict, $"{(int)r.StatusCode}"));
        var profile = await user.GetFromJsonOk<ProfileDto>("/profile");
        Assert.Contains(profile.PictureKey, previews.Select(p => p.Key));
        await ApiExtensions.DownloadAsync(profile.PictureUrl!);
        var keys = await app.ObjectKeysAsync();
        Assert.DoesNotContain(first.Key, keys);
        // Every preview that won for a moment and was then replaced is gone; the ones that lost (409) are still previews.
        var won = previews.Zip(answers).Where(x => x.Second.StatusCode == HttpStatusCode.OK).Select(x => x.First.Key).ToList();
        Assert.Equal([profile.PictureKey!], won.Where(keys.Contains));
    }

    /// <summary>Objects this test made are each named by one of the user's image rows (none orphaned).</summary>
    private async Task AssertEveryNewObjectIsNamedByAnImageAsync(HttpClient user, HashSet<string> keysBefore)
    {
        var named = (await user.GetFromJsonOk<ImagePage>("/images?limit=500")).Items.Select(i => i.Key).ToHashSet();
        Assert.All((await app.ObjectKeysAsync()).Where(k => !keysBefore.Contains(k)), k => Assert.Contains(k, named));
    }
}

public sealed class LocalProductsConcurrencyTests(LocalApp app) : ProductsConcurrencyTests(app), IClassFixture<LocalApp>;

public sealed class S3ProductsConcurrencyTests(S3App app) : ProductsConcurrencyTests(app), IClassFixture<S3App>;
