using MediaVault.Data;
using MediaVault.Storage;
using Microsoft.EntityFrameworkCore;

namespace MediaVault.Cleanup;

public sealed record AuditReport(DateTimeOffset At, long ObjectsChecked, long ObjectsWithoutRows, long RowsWithoutObjects, IReadOnlyList<string> Examples);

/// <summary>
/// Compares storage with the database and reports what disagrees, deleting nothing: objects that no
/// row names, and image rows whose object is missing. Both sides are walked in key order (the store
/// lists in byte order, the key columns sort the same way), so memory stays flat whatever the size.
/// Objects younger than <see cref="UploadSweeper.Grace"/> may belong to uploads in flight and are skipped.
/// </summary>
public sealed class StorageAudit(IServiceScopeFactory scopes, TimeProvider time, ILogger<StorageAudit> log)
{
    private const int Page = 1000;

    public AuditReport? Last { get; private set; }

    public async Task<AuditReport> AuditOnceAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MediaVaultDb>();
        var store = scope.ServiceProvider.GetRequiredService<IObjectStore>();
        var started = time.GetUtcNow();
        var youngest = started - UploadSweeper.Grace;
        long checkedObjects = 0, rowsWithout = 0;
        var unnamed = new List<string>(); // candidates: named by no image row, maybe by an upload row
        var orphans = new Orphans();

        await using var rows = ImageKeysAsync(db, started.UtcDateTime, ct).GetAsyncEnumerator(ct);
        var row = await rows.MoveNextAsync() ? rows.Current : null;
        await foreach (var stored in store.ListAsync("", ct))
        {
            checkedObjects++;
            // Image rows sorting before this object have no object.
            while (row is not null && string.CompareOrdinal(row, stored.Key) < 0)
            {
                orphans.Row(row);
                rowsWithout++;
                row = await rows.MoveNextAsync() ? rows.Current : null;
            }
            if (row == stored.Key)
            {
                while (row == stored.Key) row = await rows.MoveNextAsync() ? rows.Current : null;
                continue;
            }
            if (stored.LastModified > youngest) continue;
            unnamed.Add(stored.Key);
            if (unnamed.Count == Page) await orphans.CheckUploadsAsync(db, unnamed, ct);
        }
        await orphans.CheckUploadsAsync(db, unnamed, ct);
        for (; row is not null; row = await rows.MoveNextAsync() ? rows.Current : null)
        {
            orphans.Row(row);
            rowsWithout++;
        }

        var report = new AuditReport(started, checkedObjects, orphans.Objects, rowsWithout, orphans.Examples);
        Last = report;
        if (report.ObjectsWithoutRows > 0 || report.RowsWithoutObjects > 0)
            log.LogWarning("Storage audit: {Objects} objects without rows, {Rows} image rows without objects, of {Checked} objects (e.g. {Examples}). Nothing was deleted.",
                report.ObjectsWithoutRows, report.RowsWithoutObjects, report.ObjectsChecked, string.Join(", ", report.Examples));
        else
            log.LogInformation("Storage audit: {Checked} objects, all named by rows.", report.ObjectsChecked);
        return report;
    }

    /// <summary>Served keys in byte order, page by page (legacy rows holding URLs are not in storage).</summary>
    private static async IAsyncEnumerable<string> ImageKeysAsync(MediaVaultDb db, DateTime before,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        string? last = null;
        while (true)
        {
            var query = db.Images.AsNoTracking()
                .Where(i => i.CreatedAt < before && !i.Key.StartsWith("http://") && !i.Key.StartsWith("https://"));
            if (last is not null) query = query.Where(i => string.Compare(i.Key, last) > 0);
            var page = await query.Select(i => i.Key).Distinct().OrderBy(k => k).Take(Page).ToListAsync(ct);
            foreach (var key in page) yield return key;
            if (page.Count < Page) yield break;
            last = page[^1];
        }
    }

    private sealed class Orphans
    {
        private readonly List<string> _examples = [];
        public long Objects { get; private set; }
        public IReadOnlyList<string> Examples => _examples;

        public void Row(string key) => Example("row " + key);

        /// <summary>Of keys no image names, the ones no upload row names either are orphans.</summary>
        public async Task CheckUploadsAsync(MediaVaultDb db, List<string> keys, CancellationToken ct)
        {
            if (keys.Count == 0) return;
            var named = await db.Uploads.AsNoTracking()
                .Where(u => keys.Contains(u.StagingKey!) || keys.Contains(u.FinalKey!))
                .Select(u => new { u.StagingKey, u.FinalKey }).ToListAsync(ct);
            var set = named.SelectMany(u => new[] { u.StagingKey, u.FinalKey }).OfType<string>().ToHashSet(StringComparer.Ordinal);
            foreach (var key in keys.Where(k => !set.Contains(k)))
            {
                Objects++;
                Example("object " + key);
            }
            keys.Clear();
        }

        private void Example(string what)
        {
            if (_examples.Count < 5) _examples.Add(what);
        }
    }
}
