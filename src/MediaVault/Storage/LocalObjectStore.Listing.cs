using System.Runtime.CompilerServices;

namespace MediaVault.Storage;

/// <summary>Listing in S3's order, and clearing what interrupted writes left in the temp folder.</summary>
public sealed partial class LocalObjectStore
{
    public IAsyncEnumerable<StoredObject> ListAsync(string prefix, CancellationToken ct) =>
        ListFolderAsync(folder.ObjectsDirectory, "", prefix, ct);

    public Task<int> RemoveIncompleteWritesAsync(DateTimeOffset startedBefore, CancellationToken ct)
    {
        var removed = 0;
        foreach (var file in new DirectoryInfo(folder.TempDirectory).EnumerateFiles())
        {
            ct.ThrowIfCancellationRequested();
            if (file.LastWriteTimeUtc >= startedBefore.UtcDateTime) continue; // may still be written to
            try
            {
                file.Delete();
                removed++;
            }
            catch (IOException) { } // gone already, or in use: the next run tries again
        }
        return Task.FromResult(removed);
    }

    /// <summary>Depth first, each folder's entries sorted as their keys sort, a folder "a" as "a/":
    /// so "a-b" (0x2D) comes before "a/x" (0x2F), exactly as S3 lists keys.</summary>
    private static async IAsyncEnumerable<StoredObject> ListFolderAsync(string path, string keyPrefix, string prefix,
        [EnumeratorCancellation] CancellationToken ct)
    {
        List<(string Key, FileSystemInfo Entry)> entries;
        try
        {
            entries = new DirectoryInfo(path).EnumerateFileSystemInfos()
                .Select(e => (Key: keyPrefix + e.Name + (e is DirectoryInfo ? "/" : ""), Entry: e))
                .Where(e => e.Key.StartsWith(prefix, StringComparison.Ordinal) || prefix.StartsWith(e.Key, StringComparison.Ordinal))
                .OrderBy(e => e.Key, StringComparer.Ordinal)
                .ToList();
        }
        catch (DirectoryNotFoundException) { yield break; } // removed while listing
        foreach (var (key, entry) in entries)
        {
            ct.ThrowIfCancellationRequested();
            if (entry is DirectoryInfo)
            {
                await foreach (var inner in ListFolderAsync(entry.FullName, key, prefix, ct)) yield return inner;
            }
            else if (key.StartsWith(prefix, StringComparison.Ordinal))
            {
                yield return new StoredObject(key, ((FileInfo)entry).Length, new DateTimeOffset(entry.LastWriteTimeUtc, TimeSpan.Zero));
            }
        }
    }
}
