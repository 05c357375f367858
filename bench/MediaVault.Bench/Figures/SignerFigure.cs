using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Amazon.Runtime;
using Amazon.S3;
using MediaVault.Bench.Harness;
using MediaVault.Bench.Report;
using MediaVault.Images;
using MediaVault.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Options;

namespace MediaVault.Bench.Figures;

/// <summary>
/// Figure 2, in-process: signed URLs per second on one thread, against raw HMAC-SHA256 over a message
/// as long as the signer's string-to-sign (one HMAC is the least any signed URL costs).
/// </summary>
public static class SignerFigure
{
    private const string Label = "in-process, 1 thread";

    public static void Run(BenchContext ctx)
    {
        var r = ctx.Results;
        var name = ListLatencyFigure.Name;
        var key = $"images/{Guid.NewGuid()}/{Guid.CreateVersion7():N}.png";
        var disposition = FileNames.InlineDisposition("holiday-photo.png");
        var expires = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds();
        var lifetime = TimeSpan.FromHours(1);
        var secret = RandomNumberGenerator.GetBytes(32);
        // The same shape as UrlSigner's string-to-sign: method, key, expiry, type, disposition.
        var message = Encoding.UTF8.GetBytes($"GET\n{key}\n{expires}\n{Payloads.ContentType}\n{disposition}");
        var mac = new byte[32];

        var signer = new UrlSigner(secret);
        // The stores are built by dependency injection, as in the app, so a new constructor parameter
        // of a kind registered here does not break the harness.
        var credentials = new BasicAWSCredentials("BENCHACCESSKEY000001", "benchsecretkey0000000000000000000000001");
        var services = new ServiceCollection()
            .AddSingleton(Options.Create(new StorageOptions
            {
                Local = { Root = Path.Combine(ctx.WorkDir, "signer"), PublicBaseUrl = "http://127.0.0.1:5080" },
                S3 = { Bucket = "bench", ServiceUrl = "http://127.0.0.1:7480" },
            }))
            .AddSingleton<IHostEnvironment>(new HostingEnvironment { ContentRootPath = ctx.WorkDir })
            .AddSingleton<IHttpContextAccessor, HttpContextAccessor>()
            .AddSingleton(TimeProvider.System)
            .AddSingleton(signer)
            .AddSingleton<AWSCredentials>(credentials)
            .AddSingleton<IAmazonS3>(new AmazonS3Client(credentials,
                new AmazonS3Config { ServiceURL = "http://127.0.0.1:7480", ForcePathStyle = true, AuthenticationRegion = "us-east-1" }))
            .AddSingleton<LocalStorageFolder>();
        using var provider = services.BuildServiceProvider();
        var local = ActivatorUtilities.CreateInstance<LocalObjectStore>(provider);
        var s3 = ActivatorUtilities.CreateInstance<S3ObjectStore>(provider);

        r.Note(name, $"In-process rates: one thread, {ctx.Options.SignerDuration.TotalSeconds:0.#} s per measurement after a warm-up; the string-to-sign is {message.Length} bytes (a real key, `image/png`, an inline Content-Disposition). " +
            "`UrlSigner.Sign` is the local store's signature; `LocalObjectStore.PresignGet` and `S3ObjectStore.PresignGet` are the whole signed URL as `GET /images` makes it on each store.");
        var cases = new (string Name, Action Op)[]
        {
            ("raw HMAC-SHA256 (the limit)", () => HMACSHA256.HashData(secret, message, mac)),
            ("UrlSigner.Sign", () => signer.Sign("GET", key, expires, Payloads.ContentType, disposition)),
            ("LocalObjectStore.PresignGet", () => local.PresignGet(key, lifetime, Payloads.ContentType, disposition)),
            ("S3ObjectStore.PresignGet", () => s3.PresignGet(key, lifetime, Payloads.ContentType, disposition)),
        };
        foreach (var (_, op) in cases) Rate(op, ctx.Options.SignerDuration / 2); // warm-up, tiered JIT included

        for (var run = 0; run < ctx.Options.Runs; run++)
        {
            Console.WriteLine($"[{name}] signer run {run + 1}/{ctx.Options.Runs}");
            var raw = 0.0;
            foreach (var (caseName, op) in cases)
            {
                var rate = Rate(op, ctx.Options.SignerDuration);
                r.Add(name, caseName, Label, "/s", rate);
                if (raw == 0) raw = rate;
                else r.Add(name, $"{caseName} / raw HMAC", Label, "ratio", rate / raw);
            }
        }
    }

    private static double Rate(Action op, TimeSpan duration)
    {
        long count = 0;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < duration)
        {
            for (var i = 0; i < 256; i++) op();
            count += 256;
        }
        return count / clock.Elapsed.TotalSeconds;
    }
}
