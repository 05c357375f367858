namespace MediaVault.Bench;

public enum Store { S3, Local }

/// <summary>Command line and the sizes it implies. <c>--quick</c> keeps every figure but shrinks them.</summary>
public sealed record BenchOptions(bool Quick, int Runs, IReadOnlyList<Store> Stores, IReadOnlySet<int> Figures, string? Output, bool Keep)
{
    public const string Usage = """
        usage: dotnet run -c Release --project bench/MediaVault.Bench [-- options]
          --quick          short run (64 MiB file, 3 s load phases, 200 uploads in figure 5)
          --runs N         runs per figure (default 3, at least 3)
          --stores LIST    s3,local (default both; 'local' alone needs no Ceph)
          --figures LIST   some of 1,2,3,4,5 (default all; 5 needs the S3 store)
          --out PATH       where to write the page (default: docs/benchmarks.md for a full run
                           of every figure on both stores, a temp file otherwise)
          --keep           keep the work folder (app logs, database, RGW logs)
        """;

    public long BigFileBytes => Quick ? 64L << 20 : 512L << 20;
    public long WarmUpBytes => Quick ? 32L << 20 : 128L << 20;
    public int ListRequests => Quick ? 40 : 200;
    public TimeSpan LoadDuration => TimeSpan.FromSeconds(Quick ? 3 : 10);
    public TimeSpan SignerDuration => TimeSpan.FromSeconds(Quick ? 0.5 : 2);
    public int SeededImages => 500;
    public int ConcurrentUploads => 100;
    public int LoadClients => 32;
    public int TwoInstanceUploads => Quick ? 200 : 1000;
    public int TwoInstanceClients => 50;
    public int TwoInstanceUsers => 10;

    /// <summary>Only a full run replaces the published page unless --out says otherwise.</summary>
    public bool IsFull => !Quick && Stores.Count == 2 && Figures.Count == 5;

    public bool Includes(int figure) => Figures.Contains(figure);

    public static BenchOptions? Parse(string[] args)
    {
        bool quick = false, keep = false;
        int runs = 3;
        string? output = null;
        List<Store> stores = [Store.S3, Store.Local];
        HashSet<int> figures = [1, 2, 3, 4, 5];
        for (var i = 0; i < args.Length; i++)
        {
            string? Next() => i + 1 < args.Length ? args[++i] : null;
            switch (args[i])
            {
                case "--quick": quick = true; break;
                case "--keep": keep = true; break;
                case "--runs" when int.TryParse(Next(), out var n) && n >= 3: runs = n; break;
                case "--out" when Next() is { } path: output = path; break;
                case "--stores" when Next() is { } list:
                    stores = [];
                    foreach (var name in list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                    {
                        if (!Enum.TryParse<Store>(name, ignoreCase: true, out var store)) return null;
                        if (!stores.Contains(store)) stores.Add(store);
                    }
                    if (stores.Count == 0) return null;
                    break;
                case "--figures" when Next() is { } list:
                    figures = [];
                    foreach (var item in list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                    {
                        if (!int.TryParse(item, out var figure) || figure is < 1 or > 5) return null;
                        figures.Add(figure);
                    }
                    if (figures.Count == 0) return null;
                    break;
                default: return null;
            }
        }
        return new BenchOptions(quick, runs, stores, figures, output, keep);
    }
}
