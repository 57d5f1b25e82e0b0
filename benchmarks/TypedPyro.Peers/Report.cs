using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace TypedPyro.Peers;

/// <summary>
/// One run's figures with the machine they were measured on: the markdown table and the JSON the chart reads. With
/// <c>--repeat</c>, each row is the median of its repetitions.
/// </summary>
internal sealed record Report(DateTime Date, string Cpu, int Cores, string Os, string Runtime, double SecondsPerWorkload, IReadOnlyList<Row> Rows, int Repetitions = 1)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    /// <summary>
    /// The rows in workload order (each workload's in the order they were measured), with their ratio to the better
    /// raw-socket row of their workload (the baseline: the socket's limit, however it is reached). Repeated
    /// rows are folded into their median; the better raw row is the one with the higher median, and a row's range is
    /// its ratio to that raw row in each repetition.
    /// </summary>
    public static Report From(Bench bench)
    {
        var measured = bench.Results
            .GroupBy(r => (r.Workload, r.Peer))
            .OrderBy(g => Array.IndexOf(Workloads.Order, g.Key.Workload))
            .Select(g => (Key: g.Key, Runs: g.ToList(), PerSecond: Median(g.Select(r => (double?)r.PerSecond))!.Value))
            .ToList();
        var bestRaw = measured.Where(m => m.Key.Peer.StartsWith("raw", StringComparison.Ordinal))
            .GroupBy(m => m.Key.Workload)
            .ToDictionary(g => g.Key, g => g.MaxBy(m => m.PerSecond));
        var rows = measured.Select(m =>
        {
            bool hasRaw = bestRaw.TryGetValue(m.Key.Workload, out var raw);
            bool isRaw = hasRaw && raw.Key == m.Key;
            double? ratio = !hasRaw || isRaw ? null : m.PerSecond / raw.PerSecond;
            (double Min, double Max)? range = null;
            if (ratio is not null && bench.Repetitions > 1)
            {
                var perRun = m.Runs.Join(raw.Runs, r => r.Repetition, x => x.Repetition, (r, x) => r.PerSecond / x.PerSecond).ToList();
                if (perRun.Count > 0) range = (perRun.Min(), perRun.Max());
            }
            return new Row(m.Key.Workload, m.Key.Peer, m.PerSecond, Median(m.Runs.Select(r => r.P50Micros)), Median(m.Runs.Select(r => r.P99Micros)),
                Median(m.Runs.Select(r => r.MegabytesPerSecond)), ratio, isRaw, Notes(m.Runs), range?.Min, range?.Max);
        }).ToList();
        // Every repetition measures the same rows, each named apart within its workload: folded, they must give the
        // rows of one.
        int rowsPerRun = bench.Results.Count(r => r.Repetition == 1);
        if (rows.Count != rowsPerRun) throw new InvalidOperationException($"{bench.Repetitions} runs folded into {rows.Count} rows, not the {rowsPerRun} of one run");
        return new Report(DateTime.UtcNow, ReadCpu(), Environment.ProcessorCount, ReadOs(), RuntimeInformation.FrameworkDescription, bench.Duration.TotalSeconds, rows, bench.Repetitions);
    }

    /// <summary>A row's note; one that carries a figure (the scale row's memory) can differ by run, and then lists each.</summary>
    private static string? Notes(IEnumerable<Result> runs) =>
        runs.Select(r => r.Note).Distinct().ToList() is var notes && notes.Count == 1 ? notes[0] : string.Join("; ", notes.Where(n => n is not null));

    /// <summary>The median of the values given (the mean of the middle two for an even count); null when none is.</summary>
    private static double? Median(IEnumerable<double?> values)
    {
        var sorted = values.OfType<double>().Order().ToList();
        if (sorted.Count == 0) return null;
        int middle = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    public static Report Read(string path) => JsonSerializer.Deserialize<Report>(File.ReadAllText(path), Json) ?? throw new InvalidDataException(path);

    public void Write(string path) => File.WriteAllText(path, JsonSerializer.Serialize(this, Json) + "\n");

    /// <summary>"2 cores (CPU), OS, runtime": the machine line of the table's and the chart's titles.</summary>
    public string Machine => $"{Cores} cores ({Cpu}), {Os}, {Runtime}";

    /// <summary>", median of N runs" for a repeated run, for the titles; empty for one run.</summary>
    public string RepetitionsTitle => Repetitions > 1 ? $", median of {Repetitions} runs" : "";

    public void Print(TextWriter output)
    {
        output.WriteLine($"# TypedPyro peer comparison, {Date:yyyy-MM-dd HH:mm} UTC, {SecondsPerWorkload:0.#} s per workload{RepetitionsTitle}");
        output.WriteLine($"Machine: {Machine}; client and server on loopback");
        output.WriteLine();
        bool ranges = Repetitions > 1;
        output.WriteLine("| workload | peer | calls/s | p50 us | p99 us | MB/s | ratio to raw |" + (ranges ? " ratio in each run |" : "") + " note |");
        output.WriteLine("|---|---|---:|---:|---:|---:|---:|" + (ranges ? "---:|" : "") + "---|");
        foreach (var r in Rows)
        {
            string ratio = r.RatioToRaw is { } x ? $"{x:0.00}x" : "";
            string range = !ranges ? "" : (r.RatioMin is { } min && r.RatioMax is { } max ? $" {min:0.00}-{max:0.00}x |" : " |");
            output.WriteLine($"| {r.Workload} | {r.Peer} | {Format(r.CallsPerSecond)} | {Format(r.P50Micros)} | {Format(r.P99Micros)} | {Format(r.MegabytesPerSecond)} | {ratio} |{range} {r.Note} |");
        }
    }

    private static string Format(double? value) => value is { } v ? v.ToString("N0", CultureInfo.InvariantCulture) : "";

    private static string ReadCpu()
    {
        try
        {
            var line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
            if (line is not null) return string.Join(' ', line[(line.IndexOf(':') + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        }
        catch (IOException) { }
        return RuntimeInformation.ProcessArchitecture.ToString();
    }

    private static string ReadOs()
    {
        try
        {
            var line = File.ReadLines("/etc/os-release").FirstOrDefault(l => l.StartsWith("PRETTY_NAME=", StringComparison.Ordinal));
            if (line is not null) return line["PRETTY_NAME=".Length..].Trim('"');
        }
        catch (IOException) { }
        return RuntimeInformation.OSDescription;
    }
}

/// <summary>
/// One line of the table. <see cref="RatioToRaw"/> is calls/s (and so MB/s) over the raw-socket row's; in a repeated
/// run the figures are medians, and <see cref="RatioMin"/> and <see cref="RatioMax"/> bound the ratio in each run.
/// </summary>
internal sealed record Row(string Workload, string Peer, double CallsPerSecond, double? P50Micros, double? P99Micros, double? MegabytesPerSecond, double? RatioToRaw, bool IsRaw, string? Note,
    double? RatioMin = null, double? RatioMax = null);
