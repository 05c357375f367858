using System.Globalization;

namespace MediaVault.Bench.Report;

public static class Format
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static string Value(double value, string unit) => unit switch
    {
        "ratio" => value.ToString("0.00", Invariant),
        "count" => value.ToString("0", Invariant),
        _ => Number(value) + " " + unit,
    };

    /// <summary>Three significant digits, thousands grouped: 0.123, 12.3, 1,234, 123,456.</summary>
    public static string Number(double value)
    {
        var magnitude = Math.Abs(value);
        var format = magnitude >= 100 ? "#,0" : magnitude >= 10 ? "0.0" : magnitude >= 1 ? "0.00" : "0.000";
        return value.ToString(format, Invariant);
    }

    public static string Bytes(long bytes) =>
        bytes >= 1L << 30 ? $"{bytes / (double)(1L << 30):0.#} GiB" : bytes >= 1 << 20 ? $"{bytes / (double)(1 << 20):0.#} MiB" : $"{bytes / 1024.0:0.#} KiB";
}
