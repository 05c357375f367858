namespace MediaVault.Bench.Report;

/// <summary>An aim from issue 5. Most are judged on the median of the runs; limits (memory, errors) on every run.</summary>
public sealed record Aim(string Text, Func<double, bool> IsMet, bool EveryRun = false)
{
    public bool Met(IReadOnlyList<double> runs) => EveryRun ? runs.All(IsMet) : IsMet(Stats.Median(runs));
}

/// <summary>One measured quantity of one figure on one store, a value per run.</summary>
public sealed class Metric(string figure, string name, string store, string unit, Aim? aim)
{
    public string Figure { get; } = figure;
    public string Name { get; } = name;
    public string Store { get; } = store;
    public string Unit { get; } = unit;
    public Aim? Aim { get; } = aim;
    public List<double> Runs { get; } = [];
}

/// <summary>Everything a run of the harness measured, in the order it was first recorded.</summary>
public sealed class Results
{
    private readonly List<Metric> _metrics = [];
    private readonly List<(string Figure, string Text)> _notes = [];

    public IReadOnlyList<Metric> Metrics => _metrics;

    public void Add(string figure, string name, string store, string unit, double value, Aim? aim = null)
    {
        var metric = _metrics.FirstOrDefault(m => m.Figure == figure && m.Name == name && m.Store == store);
        if (metric is null) _metrics.Add(metric = new Metric(figure, name, store, unit, aim));
        metric.Runs.Add(value);
        Console.WriteLine($"  {figure} | {name} | {store}: {Format.Value(value, unit)}");
    }

    /// <summary>A remark printed under the figure's table (method details, failures).</summary>
    public void Note(string figure, string text)
    {
        if (!_notes.Contains((figure, text))) _notes.Add((figure, text));
        Console.WriteLine($"  note ({figure}): {text}");
    }

    public IEnumerable<string> NotesOf(string figure) => _notes.Where(n => n.Figure == figure).Select(n => n.Text);
}
