using Microsoft.EntityFrameworkCore;

namespace MediaVault.Data;

internal static class Transactions
{
    /// <summary>Runs <paramref name="work"/> in a transaction that commits only when it says so, as a whole
    /// that the database's retrying strategy may repeat after a broken connection.</summary>
    public static Task<T> InTransactionAsync<T>(this MediaVaultDb db, Func<CancellationToken, Task<(T Result, bool Commit)>> work, CancellationToken ct) =>
        db.Database.CreateExecutionStrategy().ExecuteAsync(async token =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(token);
            var (result, commit) = await work(token);
            if (commit) await transaction.CommitAsync(token);
            db.ChangeTracker.Clear();
            return result;
        }, ct);
}
