using MediaVault.Bench.Harness;
using MediaVault.Bench.Report;

namespace MediaVault.Bench;

/// <summary>What every figure needs: the options, where things live, RGW if it runs, and the results.</summary>
public sealed record BenchContext(BenchOptions Options, string Repo, string WorkDir, Rgw? Rgw, Results Results)
{
    public static string Label(Store store) => store == Store.S3 ? "S3 (Ceph RGW)" : "Local";

    /// <summary>Starts the app on a store; the database and store folder of a store (or of a named
    /// <paramref name="instance"/>) are kept between starts. <paramref name="database"/> replaces the SQLite file.</summary>
    public Task<AppProcess> StartAppAsync(Store store, string? instance = null, AppDatabase? database = null, bool defaultRateLimits = false) =>
        AppProcess.StartAsync(Repo, store, Path.Combine(WorkDir, instance ?? store.ToString().ToLowerInvariant()), Rgw, BigCollectionBytes, database,
            defaultRateLimits);

    /// <summary>Limit of the "bench" collection: the big file fits, with room for the multipart envelope.</summary>
    public long BigCollectionBytes => Options.BigFileBytes + (64L << 20);

    public static double MiB(long bytes) => bytes / (double)(1 << 20);
}
