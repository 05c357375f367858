using MediaVault.Cleanup;
using MediaVault.Data;
using MediaVault.Storage;
using Microsoft.EntityFrameworkCore;

namespace MediaVault.Accounts;

/// <summary>
/// Deletes an account and everything it stored. First, in one transaction, the account is marked and its
/// user row goes (sign-in and refresh end there, the profile and Identity's rows go with it by cascade);
/// then its images, uploads and products go in batches, each object before the row that names it, so a
/// run that dies leaves rows the next run finds. Clean-up purges every marked account again on each run
/// until the mark is <see cref="Retention"/> old: that catches what a request already in flight, or an
/// access token still alive, added after the deletion.
/// </summary>
public sealed class AccountPurge(IServiceScopeFactory scopes, TimeProvider time, ILogger<AccountPurge> log)
{
    public static readonly TimeSpan Retention = TimeSpan.FromDays(1);
    private const int Batch = 200;

    public async Task MarkAsync(string userId, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MediaVaultDb>();
        var now = time.GetUtcNow().UtcDateTime;
        await db.InTransactionAsync(async token =>
        {
            if (!await db.AccountDeletions.AnyAsync(d => d.UserId == userId, token))
                db.AccountDeletions.Add(new AccountDeletion { UserId = userId, RequestedAt = now });
            await db.SaveChangesAsync(token);
            await db.RefreshTokens.Where(r => r.UserId == userId).ExecuteDeleteAsync(token);
            await db.Users.Where(u => u.Id == userId).ExecuteDeleteAsync(token);
            return (true, true);
        }, ct);
        log.LogInformation("Account {UserId} marked for deletion.", userId);
    }

    /// <summary>Removes what is left of a marked account (all of it, batch after batch).</summary>
    public async Task PurgeAsync(string userId, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MediaVaultDb>();
        var store = scope.ServiceProvider.GetRequiredService<IObjectStore>();
        await db.Users.Where(u => u.Id == userId).ExecuteDeleteAsync(ct); // a mark made before its user row went
        await db.RefreshTokens.Where(r => r.UserId == userId).ExecuteDeleteAsync(ct);
        await db.Profiles.Where(p => p.UserId == userId).ExecuteDeleteAsync(ct);
        int objects = 0, count;
        do
        {
            var images = await db.Images.AsNoTracking().Where(i => i.OwnerId == userId).OrderBy(i => i.Id).Take(Batch).ToListAsync(ct);
            foreach (var image in images.Where(i => !i.IsLegacyUrl)) await store.DeleteAsync(image.Key, ct);
            var ids = images.Select(i => i.Id).ToList();
            count = await db.Images.Where(i => ids.Contains(i.Id)).ExecuteDeleteAsync(ct);
            objects += images.Count;
        } while (count > 0);
        do
        {
            var uploads = await db.Uploads.AsNoTracking().Where(u => u.OwnerId == userId).OrderBy(u => u.Id).Take(Batch).ToListAsync(ct);
            foreach (var upload in uploads)
                foreach (var key in new[] { upload.StagingKey, upload.FinalKey ?? UploadSweeper.LegacyFinalKey(upload) })
                    if (key is not null) await store.DeleteAsync(key, ct);
            var ids = uploads.Select(u => u.Id).ToList();
            count = await db.Uploads.Where(u => ids.Contains(u.Id)).ExecuteDeleteAsync(ct);
            objects += uploads.Count;
        } while (count > 0);
        var products = await db.Products.Where(p => p.OwnerId == userId).ExecuteDeleteAsync(ct);
        if (objects + products > 0)
            log.LogInformation("Deleted account {UserId}: {Records} images and uploads, {Products} products.", userId, objects, products);
    }

    /// <summary>The clean-up pass: purges every marked account, and forgets marks older than <see cref="Retention"/>.</summary>
    public async Task<int> SweepOnceAsync(CancellationToken ct)
    {
        List<AccountDeletion> marks;
        await using (var scope = scopes.CreateAsyncScope())
            marks = await scope.ServiceProvider.GetRequiredService<MediaVaultDb>().AccountDeletions.AsNoTracking().ToListAsync(ct);
        foreach (var mark in marks)
        {
            try { await PurgeAsync(mark.UserId, ct); }
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                log.LogWarning(e, "Clean-up could not finish deleting account {UserId}; a later run retries it.", mark.UserId);
                continue;
            }
            if (mark.RequestedAt < time.GetUtcNow().UtcDateTime - Retention)
            {
                await using var scope = scopes.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<MediaVaultDb>().AccountDeletions
                    .Where(d => d.UserId == mark.UserId).ExecuteDeleteAsync(ct);
            }
        }
        return marks.Count;
    }
}
