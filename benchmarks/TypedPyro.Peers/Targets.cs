using System.Globalization;
using System.Text.Json;

namespace TypedPyro.Peers;

/// <summary>
/// The targets of benchmarks/targets.json and their verdicts on a report: one line per target (its figure, the
/// target, met, missed or shown) and a last line <c>targets: N met, M missed</c>. A target whose row the run did not measure
/// is missed, so a renamed row cannot pass unnoticed.
/// </summary>
internal sealed record Targets(IReadOnlyList<PerformanceTarget> List)
{
    public const string Raw = "raw";
    public const string CallsPerSecond = "calls/s";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The file beside the harness (copied next to the program at build time).</summary>
    public static Targets Load(string? path = null)
    {
        path ??= Path.Combine(AppContext.BaseDirectory, "targets.json");
        var file = JsonSerializer.Deserialize<TargetsFile>(File.ReadAllText(path), Json) ?? throw new InvalidDataException(path);
        foreach (var t in file.Targets)
        {
            if (string.IsNullOrEmpty(t.Workload) || string.IsNullOrEmpty(t.Figure) || string.IsNullOrEmpty(t.Comparison))
                throw new InvalidDataException($"{path}: every target needs a workload, a figure and a comparison");
            // A floor is compared by its ratio to raw, so only a target against raw can have one.
            if (t.Floor is not null && t.Comparison != Raw)
                throw new InvalidDataException($"{path}: {t.Workload}: {t.Figure}: a floor needs a target against raw");
        }
        return new Targets(file.Targets);
    }

    /// <summary>Whether a run limited to the targets measures this row: a figure, a row compared with, or a raw row of a workload judged against raw.</summary>
    public bool Needs(string workload, string peer) => List.Any(t => t.Workload == workload &&
        (t.Figure == peer || t.Floor?.Row == peer || Comparisons(t).Any(c => c == peer || (c == Raw && peer.StartsWith("raw", StringComparison.Ordinal)))));

    private static IEnumerable<string> Comparisons(PerformanceTarget t) => t.Or is null ? [t.Comparison] : [t.Comparison, t.Or.Comparison];

    public IReadOnlyList<Verdict> Judge(Report report) => List.Select(t => Judge(t, report)).ToList();

    private static Verdict Judge(PerformanceTarget t, Report report)
    {
        var row = report.Rows.FirstOrDefault(r => r.Workload == t.Workload && r.Peer == t.Figure);
        if (row is null) return new Verdict(t, $"{t.Workload}: {t.Figure}: not measured (target {Describe(t.Target, t.Comparison)})", Met: false);
        var first = Value(t.Target, t.Comparison, row, report);
        (bool Met, string Text)? second = t.Or is null ? null : Value(t.Or.Target, t.Or.Comparison, row, report);
        bool met = first.Met || second?.Met == true;
        string text = $"{t.Workload}: {t.Figure}: {first.Text} (target {Describe(t.Target, t.Comparison)})";
        if (second is not null) text += $"; {second.Value.Text} (or {Describe(t.Or!.Target, t.Or.Comparison)})";
        bool judged = true;
        if (t.Floor is not null)
        {
            // The exemption checks itself each run: it holds only while the floor row measures below the target.
            var floor = report.Rows.FirstOrDefault(r => r.Workload == t.Workload && r.Peer == t.Floor.Row);
            if (floor?.RatioToRaw is { } ratio && ratio < t.Target)
            {
                judged = false;
                text += $"; not judged: its floor '{t.Floor.Row}' is {ratio:0.00}x raw - {t.Floor.Reason}";
            }
        }
        return new Verdict(t, text, met, judged);
    }

    private static (bool Met, string Text) Value(double target, string comparison, Row row, Report report)
    {
        if (comparison == CallsPerSecond) return (row.CallsPerSecond >= target, $"{Count(row.CallsPerSecond)}/s");
        if (comparison == Raw)
        {
            if (row.RatioToRaw is not { } ratio) return (false, "no raw row");
            string range = row.RatioMin is { } min && row.RatioMax is { } max ? $" ({min:0.00}-{max:0.00}x by run)" : "";
            return (ratio >= target, $"{ratio:0.00}x raw{range}");
        }
        var other = report.Rows.FirstOrDefault(r => r.Workload == row.Workload && r.Peer == comparison);
        if (other is null || other.CallsPerSecond <= 0) return (false, $"'{comparison}' not measured");
        double x = row.CallsPerSecond / other.CallsPerSecond;
        return (x >= target, $"{Count(row.CallsPerSecond)}/s vs {Count(other.CallsPerSecond)}/s = {x:0.00}x");
    }

    private static string Describe(double target, string comparison) => comparison switch
    {
        CallsPerSecond => $">= {Count(target)}/s",
        Raw => $">= {target:0.0#}x raw",
        _ => $">= {target:0.0#}x {comparison}",
    };

    private static string Count(double value) => value >= 1e6 ? $"{value / 1e6:0.00}M" : value >= 1e4 ? $"{value / 1e3:0.0}k" : value.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>Prints a verdict line per target and the count; the line format is what test.sh checks.</summary>
    public static void Print(IReadOnlyList<Verdict> verdicts, TextWriter output)
    {
        output.WriteLine();
        foreach (var v in verdicts) output.WriteLine($"target {(!v.Judged ? "shown" : v.Met ? "met" : "missed")}: {v.Text}");
        var judged = verdicts.Where(v => v.Judged).ToList();
        output.WriteLine($"targets: {judged.Count(v => v.Met)} met, {judged.Count(v => !v.Met)} missed");
    }

    private sealed record TargetsFile(IReadOnlyList<PerformanceTarget> Targets);
}

/// <summary>
/// One target: a row (workload and figure), the value it must reach, against what; optionally a second way to meet it.
/// <see cref="Floor"/> names a row of the same workload that bounds this one from above: while that floor measures
/// below the target, the target is shown but not counted (issue 24 lets W3 with ONEWAY_THREADED fall back to the
/// unthreaded target when the contract itself cannot reach it).
/// </summary>
internal sealed record PerformanceTarget(string Workload, string Figure, double Target, string Comparison, Alternative? Or = null, Floor? Floor = null);

/// <summary>The row that bounds a target from above, and why a target below it falls back to another.</summary>
internal sealed record Floor(string Row, string Reason);

/// <summary>The second way to meet a target (batch: 1M calls/s, or 0.6x raw).</summary>
internal sealed record Alternative(double Target, string Comparison);

/// <summary>A target judged on one report.</summary>
/// <param name="Judged">Whether the verdict counts in <c>targets: N met, M missed</c>.</param>
internal sealed record Verdict(PerformanceTarget Target, string Text, bool Met, bool Judged = true);
