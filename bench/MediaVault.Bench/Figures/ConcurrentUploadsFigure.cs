using System.Diagnostics;
using System.Security.Cryptography;
using MediaVault.Bench.Harness;
using MediaVault.Bench.Report;

namespace MediaVault.Bench.Figures;

/// <summary>Figure 4: 100 uploads started at once over the three paths, each read back through its
/// signed URL and compared by SHA-256.</summary>
public static class ConcurrentUploadsFigure
{
    public const string Name = "4. Concurrent uploads";
    private const int MinSize = 10 << 10, MaxSize = 5 << 20;
    private static readonly string[] Paths = ["proxied", "direct PUT", "direct POST"];

    public static async Task RunAsync(BenchContext ctx, AppProcess app, Store store)
    {
        var r = ctx.Results;
        var label = BenchContext.Label(store);
        var count = ctx.Options.ConcurrentUploads;
        using var client = await MediaVaultClient.NewUserAsync(app.BaseUrl, "concurrent");
        r.Note(Name, $"{count} uploads started together to the default collection `images`, paths in turn ({string.Join(", ", Paths)}), sizes log-uniform from {Format.Bytes(MinSize)} to {Format.Bytes(MaxSize)} (new random bytes every run). " +
            "Each task uploads (direct: presign, send, register), then downloads its image through the signed `url` and compares SHA-256; wall time covers all of it. Throughput counts uploaded bytes.");
        await OneAsync(client, 0, new Item(0, Payloads.Bytes(MinSize, -1))); // warm-up of every path
        await OneAsync(client, 1, new Item(1, Payloads.Bytes(MinSize, -2)));
        await OneAsync(client, 2, new Item(2, Payloads.Bytes(MinSize, -3)));

        for (var run = 0; run < ctx.Options.Runs; run++)
        {
            Console.WriteLine($"[{Name}] {label} run {run + 1}/{ctx.Options.Runs}");
            var random = new Random(run);
            var items = Enumerable.Range(0, count).Select(i =>
            {
                var size = (int)Math.Round(MinSize * Math.Pow(MaxSize / (double)MinSize, random.NextDouble()));
                return new Item(i, Payloads.Bytes(size, run * 100_000 + i));
            }).ToList();
            var totalBytes = items.Sum(i => (long)i.Body.Length);

            var errors = new List<string>();
            var clock = Stopwatch.StartNew();
            var images = await Task.WhenAll(items.Select(async item =>
            {
                try { return await OneAsync(client, item.Index % Paths.Length, item); }
                catch (Exception e)
                {
                    lock (errors) errors.Add($"{Paths[item.Index % Paths.Length]} {Format.Bytes(item.Body.Length)}: {e.Message}");
                    return null;
                }
            }));
            var wall = clock.Elapsed.TotalSeconds;
            app.EnsureRunning();
            r.Add(Name, "errors (failed or mismatched)", label, "count", errors.Count, new Aim("0", v => v == 0, EveryRun: true));
            r.Add(Name, "wall time", label, "s", wall);
            r.Add(Name, "throughput", label, "MiB/s", BenchContext.MiB(totalBytes) / wall);
            r.Add(Name, "uploads per second", label, "/s", count / wall);
            r.Add(Name, "bytes uploaded per run", label, "MiB", BenchContext.MiB(totalBytes));
            foreach (var e in errors.Take(3)) r.Note(Name, $"{label} run {run + 1}: {e}");

            await Parallel.ForEachAsync(images.OfType<ImageDto>(), new ParallelOptions { MaxDegreeOfParallelism = 8 },
                async (image, ct) => await client.DeleteAsync(image.Id, ct));
        }
    }

    private sealed record Item(int Index, byte[] Body)
    {
        public string FileName => $"upload-{Index}.png";
        public byte[] Hash { get; } = SHA256.HashData(Body);
    }

    private static async Task<ImageDto> OneAsync(MediaVaultClient client, int path, Item item)
    {
        ImageDto image;
        if (path == 0)
        {
            image = await client.UploadProxiedAsync(new ByteArrayContent(item.Body), item.FileName, null);
        }
        else
        {
            var presign = await client.PresignAsync(item.FileName, item.Body.Length, null, path == 1 ? "PUT" : "POST");
            if (path == 1) await client.PutAsync(presign, new ByteArrayContent(item.Body));
            else await client.PostFormAsync(presign, item.Body, item.FileName);
            image = await client.RegisterAsync(presign, item.FileName);
        }
        if (image.Size != item.Body.Length || image.Width != Payloads.Width || image.Height != Payloads.Height)
            throw new InvalidOperationException($"image reported as {image.Size} bytes {image.Width}x{image.Height}");
        var back = await client.DownloadAsync(image.Url);
        if (!SHA256.HashData(back).AsSpan().SequenceEqual(item.Hash))
            throw new InvalidOperationException($"read back {back.Length} bytes whose SHA-256 differs from what was sent");
        return image;
    }
}
