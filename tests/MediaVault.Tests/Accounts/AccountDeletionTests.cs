using System.Net;
using System.Net.Http.Json;
using MediaVault.Accounts;
using MediaVault.Cleanup;
using MediaVault.Data;
using MediaVault.Tests.Apps;
using MediaVault.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace MediaVault.Tests.Accounts;

/// <summary>DELETE /account leaves nothing of the user, in the database or in storage, even when it dies half-way.</summary>
public abstract class AccountDeletionTests(MediaVaultApplication app)
{
    [Fact]
    public async Task DeletingTheAccountRemovesEverythingItStored()
    {
        var (email, tokens, userId, keys) = await UserWithEverythingAsync();
        using var bystander = await app.NewUserAsync();
        var kept = await bystander.UploadOkAsync(TestImages.Png());
        using var client = app.Bearer(tokens);

        await (await DeleteAccountAsync(client, "Wr0ng!pass")).ShouldBe(HttpStatusCode.BadRequest);
        await (await DeleteAccountAsync(client, AccountClients.Password)).ShouldBe(HttpStatusCode.NoContent);

        await AssertNothingLeftAsync(userId, keys);
        using var anon = app.Anonymous();
        await (await anon.LogInAsync(email)).ShouldBeProblem(HttpStatusCode.Unauthorized);
        await (await anon.RefreshAsync(tokens.RefreshToken)).ShouldBeProblem(HttpStatusCode.Unauthorized);
        Assert.Contains(kept.Key, await app.ObjectKeysAsync());
        await anon.RegisterAsync(email); // the address is free again
    }

    [Fact]
    public async Task ADeletionThatDiedHalfWayIsFinishedByTheNextCleanUp()
    {
        var (_, _, userId, keys) = await UserWithEverythingAsync();
        // As if DELETE /account died after marking the account and removing one image.
        await app.Services.GetRequiredService<AccountPurge>().MarkAsync(userId, default);
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<MediaVaultDb>();
            var first = await db.Images.Where(i => i.OwnerId == userId).OrderBy(i => i.Id).FirstAsync();
            await db.Images.Where(i => i.Id == first.Id).ExecuteDeleteAsync();
            await scope.ServiceProvider.GetRequiredService<MediaVault.Storage.IObjectStore>().DeleteAsync(first.Key, default);
        }

        await app.Services.GetRequiredService<CleanupJob>().RunOnceAsync(default);

        await AssertNothingLeftAsync(userId, keys);
        await using (var scope = app.Services.CreateAsyncScope())
            Assert.True(await scope.ServiceProvider.GetRequiredService<MediaVaultDb>().AccountDeletions.AnyAsync(d => d.UserId == userId),
                "the mark stays a while, for what requests in flight may still add");
    }

    private static Task<HttpResponseMessage> DeleteAccountAsync(HttpClient client, string password) =>
        client.SendAsync(new HttpRequestMessage(HttpMethod.Delete, "/account") { Content = JsonContent.Create(new { password }) });

    /// <summary>A user with images (proxied and direct), a product, a profile with a picture and an upload still pending.</summary>
    private async Task<(string Email, TokenPair Tokens, string UserId, List<string> Keys)> UserWithEverythingAsync()
    {
        using var anon = app.Anonymous();
        var email = await anon.RegisterAsync();
        var tokens = await anon.LogInOkAsync(email);
        using var user = app.Bearer(tokens);
        var png = TestImages.Png();
        var proxied = await user.UploadOkAsync(png);
        var direct = await user.DirectUploadOkAsync(png);
        await user.CreateProductOkAsync("Lamp", [proxied.Id]);
        var picture = await user.UploadPictureOkAsync(png);
        var profile = await user.PutProfileOkAsync($$"""{"displayName":"Ann","pictureKey":"{{picture.Key}}"}""");
        var pending = await user.PresignAsync("a.png", "image/png", png.Length);
        (await ApiExtensions.SendToStorageAsync(pending, png)).EnsureSuccessStatusCode();

        var keys = new List<string> { proxied.Key, direct.Key, picture.Key, pending.Key };
        var stored = await app.ObjectKeysAsync();
        Assert.True(keys.All(stored.Contains), $"missing: {string.Join(", ", keys.Where(k => !stored.Contains(k)))}");
        return (email, tokens, profile.UserId, keys);
    }

    private async Task AssertNothingLeftAsync(string userId, List<string> keys)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MediaVaultDb>();
        Assert.False(await db.Users.AnyAsync(u => u.Id == userId));
        Assert.False(await db.Images.AnyAsync(i => i.OwnerId == userId));
        Assert.False(await db.Uploads.AnyAsync(u => u.OwnerId == userId));
        Assert.False(await db.Products.AnyAsync(p => p.OwnerId == userId));
        Assert.False(await db.Profiles.AnyAsync(p => p.UserId == userId));
        Assert.False(await db.RefreshTokens.AnyAsync(r => r.UserId == userId));
        Assert.False(await db.UserClaims.AnyAsync(c => c.UserId == userId));
        var stored = await app.ObjectKeysAsync();
        Assert.All(keys, k => Assert.DoesNotContain(k, stored));
    }
}

public sealed class LocalAccountDeletionTests(LocalApp app) : AccountDeletionTests(app), IClassFixture<LocalApp>;

public sealed class S3AccountDeletionTests(S3App app) : AccountDeletionTests(app), IClassFixture<S3App>;
