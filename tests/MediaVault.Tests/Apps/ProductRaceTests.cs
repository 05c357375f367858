using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MediaVault.Tests.Infrastructure;

namespace MediaVault.Tests.Apps;

/// <summary>An image is on one product at most, however many requests ask for it at once; concurrent
/// edits of one product apply one after the other, so none leaves more than 10 images or a lost one.</summary>
public abstract class ProductRaceTests(MediaVaultApplication app)
{
    [Fact]
    public async Task TwentyProductsAskingForOneImageAtOnceGiveItToExactlyOne()
    {
        using var user = await app.NewUserAsync();
        var image = await user.UploadOkAsync(TestImages.Png());

        var answers = await Task.WhenAll(Enumerable.Range(0, 20).Select(i =>
            user.PostAsJsonAsync("/products", new { name = $"p{i}", imageIds = new[] { image.Id } })));

        var statuses = answers.Select(a => a.StatusCode).ToList();
        Assert.Equal(1, statuses.Count(s => s == HttpStatusCode.Created));
        // The losers are told which image, or (a lost database race) to retry; none is a 5xx.
        Assert.All(statuses.Where(s => s != HttpStatusCode.Created), s => Assert.True(s is HttpStatusCode.BadRequest or HttpStatusCode.Conflict, $"{s}"));
        var products = await ListMineAsync(user);
        var withImage = Assert.Single(products, p => p.GetProperty("images").GetArrayLength() > 0);
        Assert.Equal(image.Id, withImage.GetProperty("images")[0].GetProperty("id").GetGuid());
        // Refused creations made nothing.
        Assert.Single(products);
    }

    [Fact]
    public async Task ConcurrentReplacementsOfOneProductsImagesLeaveOneOfThemWhole()
    {
        using var user = await app.NewUserAsync();
        var first = await user.UploadOkAsync(TestImages.Png());
        var created = await user.PostAsJsonAsync("/products", new { name = "p", imageIds = new[] { first.Id } });
        await created.ShouldBe(HttpStatusCode.Created);
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var lists = new List<Guid[]>();
        var keyOf = new Dictionary<Guid, string> { [first.Id] = first.Key };
        for (var i = 0; i < 4; i++)
        {
            var (a, b) = (await user.UploadOkAsync(TestImages.Png(8 + i, 8)), await user.UploadOkAsync(TestImages.Png(8, 8 + i)));
            (keyOf[a.Id], keyOf[b.Id]) = (a.Key, b.Key);
            lists.Add([a.Id, b.Id]);
        }

        var answers = await Task.WhenAll(lists.Select(ids => user.PatchAsJsonAsync($"/products/{id}", new { imageIds = ids })));

        Assert.All(answers, a => Assert.True(a.StatusCode is HttpStatusCode.OK or HttpStatusCode.Conflict, $"{a.StatusCode}"));
        var product = await user.GetFromJsonAsync<JsonElement>($"/products/{id}");
        var final = product.GetProperty("images").EnumerateArray().Select(i => i.GetProperty("id").GetGuid()).ToArray();
        Assert.Contains(lists, l => l.SequenceEqual(final));
        // An image some successful request put on and a later one took off is gone with its object; one only a
        // refused request named is still the user's. Whatever is still a row still has its object, and no more.
        var left = (await user.GetFromJsonAsync<ImagePage>("/images?limit=500"))!.Items.Select(i => i.Id).ToHashSet();
        var keys = (await app.ObjectKeysAsync()).ToHashSet();
        var applied = answers.Zip(lists).Where(x => x.First.StatusCode == HttpStatusCode.OK).SelectMany(x => x.Second).Append(first.Id).ToHashSet();
        foreach (var (image, key) in keyOf)
        {
            var expected = final.Contains(image) || !applied.Contains(image);
            Assert.Equal(expected, left.Contains(image));
            Assert.Equal(expected, keys.Contains(key));
        }
    }

    /// <summary>The user's products (the list holds every user's, and the app is shared by the tests of this class).</summary>
    private static async Task<List<JsonElement>> ListMineAsync(HttpClient user)
    {
        var me = (await user.GetFromJsonAsync<JsonElement>("/profile")).GetProperty("userId").GetString();
        var page = await user.GetFromJsonAsync<JsonElement>("/products?limit=100");
        return page.GetProperty("items").EnumerateArray().Where(p => p.GetProperty("ownerId").GetString() == me).ToList();
    }
}

public sealed class LocalProductRaceTests(LocalApp app) : ProductRaceTests(app), IClassFixture<LocalApp>;

public sealed class S3ProductRaceTests(S3App app) : ProductRaceTests(app), IClassFixture<S3App>;
