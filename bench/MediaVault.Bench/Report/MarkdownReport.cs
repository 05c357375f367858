using System.Text;

namespace MediaVault.Bench.Report;

/// <summary>Renders docs/benchmarks.md: when and where, how to reproduce, a summary of the aims, then each figure.</summary>
public static class MarkdownReport
{
    public const string Command = "dotnet run -c Release --project bench/MediaVault.Bench";

    public static string Render(Machine m, Background background, long? memstoreBytes, BenchOptions o, Results results, DateTimeOffset started, TimeSpan took, string[] args, IReadOnlyList<string> figures)
    {
        var md = new StringBuilder();
        md.AppendLine("# Benchmarks").AppendLine();
        md.AppendLine("Speed and memory of MediaVault, measured side by side (issue 5). This page is written by the harness in");
        md.AppendLine("`bench/MediaVault.Bench`; do not edit it by hand, run it again.").AppendLine();
        md.AppendLine($"Measured on **{started:yyyy-MM-dd HH:mm} UTC**; the whole program took **{took.TotalMinutes:0.0} min**.");
        if (o.Quick) md.AppendLine().AppendLine("> **Quick run** (`--quick`): a smaller file and shorter load phases. Not the published figures.");
        md.AppendLine();

        md.AppendLine("## Machine").AppendLine();
        md.AppendLine("| | |").AppendLine("|---|---|");
        md.AppendLine($"| CPU | {m.Cpu}, {m.Cores} cores |");
        md.AppendLine($"| memory | {Format.Bytes(m.MemoryBytes)} |");
        md.AppendLine($"| OS | {m.Os}, Linux {m.Kernel} |");
        md.AppendLine($"| .NET | {m.Runtime}{(m.Sdk is null ? "" : $", SDK {m.Sdk}")}; the app with {m.AppGc} GC |");
        md.AppendLine($"| S3 store | {m.Ceph ?? "Ceph RGW"}: radosgw (beast) and one memstore OSD{(memstoreBytes is { } b ? $" of {Format.Bytes(b)}" : "")}, objects in RAM, from `scripts/rgw-up.sh`; started empty for every measured upload of figure 1, again for figures 2–4 and for every setup and run of figure 5 |");
        md.AppendLine($"| Local store | a folder in the work directory ({m.TempFileSystem ?? "unknown"} file system) |");
        md.AppendLine($"| code | commit `{m.Commit ?? "unknown"}`{(m.SourceChanged ? ", with uncommitted changes under `src/`" : "")} |");
        md.AppendLine();
        md.AppendLine($"The harness (client), the app and Ceph share these {m.Cores} cores; every request is HTTP/1.1 over 127.0.0.1.");
        md.AppendLine($"Other work on the machine: {background.BusyBefore:P0} busy just before the run, {background.OtherDuring:P0} of all CPU time during it" +
            (background.OtherDuring > 0.05 || background.BusyBefore > 0.1 ? " — **too much: these figures are disturbed, run again on a quiet machine**." : "."));
        md.AppendLine("Absolute numbers move from machine to machine; the ratios, measured back to back within each run, move much less.").AppendLine();

        md.AppendLine("## Commands").AppendLine();
        md.AppendLine("```sh");
        md.AppendLine($"{Command}                     # this page: every figure, both stores");
        md.AppendLine($"{Command} -- --quick          # a short smoke run, written to a temp file");
        md.AppendLine($"{Command} -- --stores local   # without Ceph");
        md.AppendLine($"{Command} -- --runs 5         # more runs per figure");
        md.AppendLine($"{Command} -- --figures 3      # one figure (with --quick, --stores or --figures: a temp file)");
        md.AppendLine("```").AppendLine();
        md.AppendLine($"This page: `{Command}{(args.Length > 0 ? " -- " + string.Join(' ', args) : "")}`. Building the harness builds `src/MediaVault` in Release; the harness");
        md.AppendLine("then starts `src/MediaVault/bin/Release/net10.0/MediaVault.dll` itself (a fresh SQLite file and store in a temp folder, configured");
        md.AppendLine("through `MediaVault__*` environment variables, a `bench` collection with a raised limit) and Ceph RGW with `scripts/rgw-up.sh`");
        md.AppendLine("(which installs Ceph with apt when it is missing, as root; RGW keeps objects in RAM, so allow about 3 GiB of free memory);");
        md.AppendLine("for figure 5 also PostgreSQL with `scripts/pg-up.sh` (installed with apt when missing) and its instances configured with `MediaVault__Database__Provider=PostgreSQL`.");
        md.AppendLine("Everything listens on 127.0.0.1 only. Progress goes to the console; `--keep` keeps the work folder with the app's log.").AppendLine();
        md.AppendLine($"Every figure is measured **{o.Runs} times**. Tables give the **median** of the runs and, in brackets, the **min–max**.");
        md.AppendLine("An aim is judged on the median, except limits (memory growth, errors), which every run must meet.").AppendLine();

        var aimed = results.Metrics.Where(x => x.Aim is not null).ToList();
        var stores = results.Metrics.Select(x => x.Store).Distinct().ToList();
        md.AppendLine("## Summary").AppendLine();
        md.AppendLine("| figure | measure | aim | " + string.Join(" | ", aimed.Select(x => x.Store).Distinct()) + " |");
        md.AppendLine("|---|---|---|" + string.Concat(aimed.Select(x => x.Store).Distinct().Select(_ => "---|")));
        foreach (var group in aimed.GroupBy(x => (x.Figure, x.Name)))
        {
            var cells = aimed.Select(x => x.Store).Distinct().Select(s => group.FirstOrDefault(x => x.Store == s) is { } metric
                ? $"{Cell(metric)} — {(metric.Aim!.Met(metric.Runs) ? "met" : "**missed**")}" : "–");
            md.AppendLine($"| {group.Key.Figure} | {group.Key.Name} | {group.First().Aim!.Text} | {string.Join(" | ", cells)} |");
        }
        md.AppendLine();

        foreach (var figure in figures)
        {
            md.AppendLine($"## {figure}").AppendLine();
            var metrics = results.Metrics.Where(x => x.Figure == figure).ToList();
            var columns = stores.Where(s => metrics.Any(x => x.Store == s)).ToList();
            if (columns.Count > 0)
            {
                md.AppendLine("| measure | aim | " + string.Join(" | ", columns) + " |");
                md.AppendLine("|---|---|" + string.Concat(columns.Select(_ => "---|")));
                foreach (var row in metrics.GroupBy(x => x.Name))
                {
                    var cells = columns.Select(s => row.FirstOrDefault(x => x.Store == s) is { } metric ? Cell(metric) : "–");
                    md.AppendLine($"| {row.Key} | {row.First().Aim?.Text ?? ""} | {string.Join(" | ", cells)} |");
                }
                md.AppendLine();
            }
            foreach (var note in results.NotesOf(figure)) md.AppendLine($"- {note}");
            md.AppendLine();
        }
        return md.ToString().TrimEnd() + "\n";
    }

    private static string Cell(Metric m) =>
        $"{Format.Value(Stats.Median(m.Runs), m.Unit)} ({Format.Value(m.Runs.Min(), m.Unit).Split(' ')[0]}–{Format.Value(m.Runs.Max(), m.Unit).Split(' ')[0]})";
}
