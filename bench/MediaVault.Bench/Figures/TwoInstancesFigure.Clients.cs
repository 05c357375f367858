using System.Collections.Concurrent;
using System.Diagnostics;
using System.Security.Cryptography;
using MediaVault.Bench.Harness;
using MediaVault.Bench.Report;

namespace MediaVault.Bench.Figures;

/// <summary>The clients of figure 5: users with a client per instance, the closed-loop uploads that alternate
/// instances, and the listing that must find every answered image once.</summary>
public static partial class TwoInstancesFigure
{
    private sealed record Uploaded(List<string> Errors, ConcurrentDictionary<Guid, int> Images, List<double> Latencies);

    /// <summary>Closed loop: each client takes the next item when its last upload is read back.</summary>
    private static async Task<Uploaded> UploadAllAsync(Users users, List<Item> items, int clients)
    {
        var errors = new List<string>();
        var images = new ConcurrentDictionary<Guid, int>();
        var latencies = new List<double>[clients];
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, clients).Select(client => Task.Run(async () =>
        {
            var mine = latencies[client] = [];
            var user = users[client % users.Count];
            var turn = client; // which instance gets this client's next request
            MediaVaultClient Next() => user[turn++ % user.Length];
            for (var i = Interlocked.Increment(ref next); i < items.Count; i = Interlocked.Increment(ref next))
            {
                var item = items[i];
                var path = item.Index % Paths.Length;
                var via = new List<Uri>(2);
                try
                {
                    var clock = Stopwatch.StartNew();
                    var image = await UploadAsync(Next, path, item, via);
                    mine.Add(clock.Elapsed.TotalMilliseconds);
                    if (!images.TryAdd(image.Id, item.Index)) throw new InvalidOperationException($"image {image.Id} was answered for two uploads");
                    if (image.Size != item.Body.Length || image.Width != Payloads.Width || image.Height != Payloads.Height)
                        throw new InvalidOperationException($"image {image.Id} reported as {image.Size} bytes {image.Width}x{image.Height}");
                    var back = await user[0].DownloadAsync(image.Url);
                    if (!SHA256.HashData(back).AsSpan().SequenceEqual(item.Hash))
                        throw new InvalidOperationException($"image {image.Id}: read back {back.Length} bytes whose SHA-256 differs from what was sent");
                }
                catch (Exception e)
                {
                    var where = string.Join(" then ", via.Select(u => $"port {u.Port}"));
                    lock (errors) errors.Add($"{Paths[path]} {Format.Bytes(item.Body.Length)} (upload {item.Index}, via {where}): {e.GetType().Name}: {e.Message}");
                }
            }
        })));
        foreach (var e in errors) Console.Error.WriteLine($"[{Name}] {e}");
        return new Uploaded(errors, images, latencies.SelectMany(l => l).ToList());
    }

    private static async Task<ImageDto> UploadAsync(Func<MediaVaultClient> next, int path, Item item, List<Uri> via)
    {
        var first = next();
        via.Add(first.Api.BaseAddress!);
        if (path == 0) return await first.UploadProxiedAsync(new ByteArrayContent(item.Body), item.FileName, null);
        var presign = await first.PresignAsync(item.FileName, item.Body.Length, null, path == 1 ? "PUT" : "POST");
        if (path == 1) await first.PutAsync(presign, new ByteArrayContent(item.Body));
        else await first.PostFormAsync(presign, item.Body, item.FileName);
        var second = next();
        via.Add(second.Api.BaseAddress!);
        return await second.RegisterAsync(presign, item.FileName);
    }

    /// <summary>Every user's images, page by page on alternating instances: what was answered must be there, once.</summary>
    private static async Task<(int Lost, int Listed, List<string> Problems)> CheckListingAsync(Users users, ConcurrentDictionary<Guid, int> answered)
    {
        var seen = new Dictionary<Guid, int>();
        var problems = new List<string>();
        var pages = 0;
        foreach (var user in users.All)
        {
            string? cursor = null;
            do
            {
                var page = await user[pages++ % user.Length].ListAsync(PageSize, cursor);
                foreach (var image in page.Items) seen[image.Id] = seen.GetValueOrDefault(image.Id) + 1;
                cursor = page.NextCursor;
            } while (cursor is not null);
        }
        var lost = answered.Keys.Where(id => !seen.ContainsKey(id)).ToList();
        var twice = seen.Where(s => s.Value > 1).ToList();
        var unknown = seen.Keys.Where(id => !answered.ContainsKey(id)).ToList();
        if (lost.Count > 0) problems.Add($"{lost.Count} answered images not listed, e.g. {string.Join(", ", lost.Take(3).Select(id => $"{id} (upload {answered[id]})"))}");
        if (twice.Count > 0) problems.Add($"{twice.Count} images listed more than once, e.g. {string.Join(", ", twice.Take(3).Select(t => $"{t.Key} ×{t.Value}"))}");
        if (unknown.Count > 0) problems.Add($"{unknown.Count} images listed that no upload was answered with (a failed upload stored after all?), e.g. {string.Join(", ", unknown.Take(3))}");
        foreach (var p in problems) Console.Error.WriteLine($"[{Name}] {p}");
        return (lost.Count, seen.Values.Sum(), problems);
    }

    /// <summary>Users, each as one client per instance with the same token; a user registers on one instance
    /// and logs in on the next.</summary>
    private sealed class Users(List<MediaVaultClient[]> all) : IDisposable
    {
        public List<MediaVaultClient[]> All { get; } = all;
        public int Count => All.Count;
        public MediaVaultClient[] this[int index] => All[index];

        public void Dispose()
        {
            foreach (var client in All.SelectMany(u => u)) client.Dispose();
        }
    }

    private static async Task<Users> UsersAsync(AppInstances apps, int count, string tag)
    {
        var all = await Task.WhenAll(Enumerable.Range(0, count).Select(async u =>
        {
            var urls = apps.Select(a => a.BaseUrl).ToArray();
            var login = urls[(u + 1) % urls.Length];
            var user = await MediaVaultClient.NewUserAsync(urls[u % urls.Length], login, tag);
            return urls.Select(url => url == login ? user : user.On(url)).ToArray();
        }));
        return new Users(all.ToList());
    }
}
