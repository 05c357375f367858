using System.Net;
using System.Net.Http.Json;
using MediaVault.Tests.Apps;
using MediaVault.Tests.Infrastructure;

namespace MediaVault.Tests.Limits;

public sealed record Measure(long Used, long Limit);
public sealed record UsageDto(Measure Files, Measure Bytes, Measure OutstandingUploads);

/// <summary>Per-user quotas of stored files, stored bytes and outstanding direct uploads: each refusal is a
/// 403 problem that names its quota, and they hold when many uploads race for the last file.</summary>
public abstract class QuotaTests(RgwServer rgw, StoreKind store)
{
    [Fact]
    public async Task UsageShowsWhatTheUserStoresAndTheLimits()
    {
        await using var app = await LimitedApp.StartAsync(store, rgw, ("Quotas:Files", "50"), ("Quotas:Bytes", "100000000"), ("Quotas:OutstandingUploads", "7"));
        using var user = await app.NewUserAsync();
        var empty = await user.GetAsync("/account/usage");
        await empty.ShouldBe(HttpStatusCode.OK);
        Assert.Equal("no-store", empty.Headers.CacheControl?.ToString());
        Assert.Equal(new UsageDto(new(0, 50), new(0, 100000000), new(0, 7)), await empty.Content.ReadFromJsonAsync<UsageDto>());

        var a = await user.UploadOkAsync(TestImages.Png());
        var b = await user.DirectUploadOkAsync(TestImages.Jpeg(), "image/jpeg");
        await user.PresignAsync("c.png", "image/png", 100);
        var usage = await user.GetFromJsonOk<UsageDto>("/account/usage");
        Assert.Equal(new UsageDto(new(2, 50), new(a.Size + b.Size, 100000000), new(1, 7)), usage);

        await (await user.DeleteAsync($"/images/{a.Id}")).ShouldBe(HttpStatusCode.NoContent);
        Assert.Equal(new Measure(1, 50), (await user.GetFromJsonOk<UsageDto>("/account/usage")).Files);
        // Another user's use is their own.
        using var other = await app.NewUserAsync();
        Assert.Equal(new Measure(0, 50), (await other.GetFromJsonOk<UsageDto>("/account/usage")).Files);
        await (await app.Anonymous().GetAsync("/account/usage")).ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task TwentyProxiedUploadsForTheLastFileStoreExactlyOne()
    {
        await using var app = await LimitedApp.StartAsync(store, rgw, ("Quotas:Files", "3"));
        using var user = await app.NewUserAsync();
        await user.UploadOkAsync(TestImages.Png());
        await user.DirectUploadOkAsync(TestImages.Png());

        var answers = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => user.UploadAsync(TestImages.Png())));
        Assert.Single(answers, r => r.StatusCode == HttpStatusCode.Created);
        foreach (var refused in answers.Where(r => r.StatusCode != HttpStatusCode.Created))
            Assert.Equal("File quota reached", (await refused.ShouldBeProblem(HttpStatusCode.Forbidden)).Title);
        Assert.Equal(new Measure(3, 3), (await user.GetFromJsonOk<UsageDto>("/account/usage")).Files);
        Assert.Equal(3, (await user.GetFromJsonOk<ImagePage>("/images")).Items.Count);
        // Refused uploads keep nothing: deleting one image makes room for exactly one more.
        var first = (await user.GetFromJsonOk<ImagePage>("/images")).Items[0];
        await (await user.DeleteAsync($"/images/{first.Id}")).ShouldBe(HttpStatusCode.NoContent);
        await user.UploadOkAsync(TestImages.Png());
        await (await user.UploadAsync(TestImages.Png())).ShouldBeProblem(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task TwentyDirectUploadsForTheLastFileRegisterExactlyOne()
    {
        await using var app = await LimitedApp.StartAsync(store, rgw, ("Quotas:Files", "3"));
        using var user = await app.NewUserAsync();
        await user.UploadOkAsync(TestImages.Png());
        await user.UploadOkAsync(TestImages.Png());

        var content = TestImages.Png();
        var presigned = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => user.PresignAsync("p.png", "image/png", content.Length)));
        foreach (var p in presigned) Assert.True((await ApiExtensions.SendToStorageAsync(p, content)).IsSuccessStatusCode);
        var answers = await Task.WhenAll(presigned.Select(p => user.CompleteAsync(p.UploadId)));
        Assert.Single(answers, r => r.StatusCode == HttpStatusCode.Created);
        foreach (var refused in answers.Where(r => r.StatusCode != HttpStatusCode.Created))
            Assert.Equal("File quota reached", (await refused.ShouldBeProblem(HttpStatusCode.Forbidden)).Title);
        var usage = await user.GetFromJsonOk<UsageDto>("/account/usage");
        Assert.Equal(new Measure(3, 3), usage.Files);
        Assert.Equal(0, usage.OutstandingUploads.Used); // refused uploads are settled, not outstanding
        Assert.Equal(3, (await user.GetFromJsonOk<ImagePage>("/images")).Items.Count);
        // A full account cannot even ask for another upload URL.
        var presign = await user.PostAsJsonAsync("/images/presign-upload", new { filename = "q.png", filetype = "image/png", size = 100 });
        Assert.Equal("File quota reached", (await presign.ShouldBeProblem(HttpStatusCode.Forbidden)).Title);
    }

    [Fact]
    public async Task StoredBytesPastTheQuotaAreRefusedOnEveryPath()
    {
        // The "small" collection's files are at most 20,000 bytes: a proxied upload reserves that much until it settles.
        await using var app = await LimitedApp.StartAsync(store, rgw, ("Quotas:Bytes", "30000"));
        using var user = await app.NewUserAsync();
        var big = await user.UploadOkAsync(TestImages.PaddedPng(15000), collection: "small");
        Assert.Equal(15000, big.Size);
        var proxied = await user.UploadAsync(TestImages.Png(), collection: "small");
        Assert.Equal("Storage quota reached", (await proxied.ShouldBeProblem(HttpStatusCode.Forbidden)).Title);

        // Direct uploads: a declared size that does not fit is refused at presign ...
        var tooBig = await user.PostAsJsonAsync("/images/presign-upload", new { filename = "a.png", filetype = "image/png", size = 16000, collection = "small" });
        Assert.Equal("Storage quota reached", (await tooBig.ShouldBeProblem(HttpStatusCode.Forbidden)).Title);
        // ... and the real size, when none was declared, at registration.
        var undeclared = await user.PostAsJsonAsync("/images/presign-upload", new { filename = "a.png", filetype = "image/png", collection = "small" });
        await undeclared.ShouldBe(HttpStatusCode.OK);
        var p = (await undeclared.Content.ReadFromJsonAsync<PresignResponse>())!;
        Assert.True((await ApiExtensions.SendToStorageAsync(p, TestImages.PaddedPng(16000))).IsSuccessStatusCode);
        var registered = await user.CompleteAsync(p.UploadId);
        Assert.Equal("Storage quota reached", (await registered.ShouldBeProblem(HttpStatusCode.Forbidden)).Title);

        var fits = await user.DirectUploadOkAsync(TestImages.PaddedPng(14000), collection: "small");
        Assert.Equal(new Measure(15000 + fits.Size, 30000), (await user.GetFromJsonOk<UsageDto>("/account/usage")).Bytes);
    }

    [Fact]
    public async Task OutstandingUploadsPastTheQuotaAreRefusedUntilRegisteredOrExpired()
    {
        await using var app = await LimitedApp.StartAsync(store, rgw, ("Quotas:OutstandingUploads", "3"));
        using var user = await app.NewUserAsync();
        var handed = new List<PresignResponse>();
        for (var i = 0; i < 3; i++) handed.Add(await user.PresignAsync("a.png", "image/png", TestImages.Png().Length));
        var refused = await user.PostAsJsonAsync("/images/presign-upload", new { filename = "a.png", filetype = "image/png", size = 100 });
        var problem = await refused.ShouldBeProblem(HttpStatusCode.Forbidden);
        Assert.Equal("Upload quota reached", problem.Title);
        Assert.Contains("outstandingUploads", problem.Detail);
        // Proxied uploads are not outstanding ones.
        await user.UploadOkAsync(TestImages.Png());

        Assert.True((await ApiExtensions.SendToStorageAsync(handed[0], TestImages.Png())).IsSuccessStatusCode);
        await (await user.CompleteAsync(handed[0].UploadId)).ShouldBe(HttpStatusCode.Created);
        await user.PresignAsync("b.png", "image/png", 100);

        // Uploads that can no longer be registered stop counting.
        app.Clock.Advance(TimeSpan.FromHours(3));
        await app.LogInAgainAsync(user);
        Assert.Equal(new Measure(0, 3), (await user.GetFromJsonOk<UsageDto>("/account/usage")).OutstandingUploads);
        await user.PresignAsync("c.png", "image/png", 100);
    }

    [Fact]
    public async Task MultipartProductsAndProfilePicturesCountAgainstTheFileQuota()
    {
        await using var app = await LimitedApp.StartAsync(store, rgw, ("Quotas:Files", "2"));
        using var user = await app.NewUserAsync();
        var refused = await user.CreateProductMultipartAsync("Lamp", [new FilePart(TestImages.Png()), new FilePart(TestImages.Png()), new FilePart(TestImages.Png())]);
        Assert.Equal("File quota reached", (await refused.ShouldBeProblem(HttpStatusCode.Forbidden)).Title);
        Assert.Equal(new Measure(0, 2), (await user.GetFromJsonOk<UsageDto>("/account/usage")).Files);
        await (await user.CreateProductMultipartAsync("Lamp", [new FilePart(TestImages.Png())])).ShouldBe(HttpStatusCode.Created);
        await user.UploadPictureOkAsync(TestImages.Png());
        var picture = await user.UploadPictureAsync(TestImages.Png());
        Assert.Equal("File quota reached", (await picture.ShouldBeProblem(HttpStatusCode.Forbidden)).Title);
    }
}

public sealed class LocalQuotaTests(RgwServer rgw) : QuotaTests(rgw, StoreKind.Local);

public sealed class S3QuotaTests(RgwServer rgw) : QuotaTests(rgw, StoreKind.S3);
