using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace TypedPyro.Peers;

/// <summary>One run's figures with the machine they were measured on: the markdown table and the JSON the chart reads.</summary>
internal sealed record Report(DateTime Date, string Cpu, int Cores, string Os, string Runtime, double SecondsPerWorkload, IReadOnlyList<Row> Rows)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    /// <summary>
    /// The rows in workload order (each workload's in the order they were measured), with their ratio to the better
    /// raw-socket row of their workload in this run (the baseline: the socket's limit, however it is reached).
    /// </summary>
    public static Report From(Bench bench)
    {
        var ordered = bench.Results.OrderBy(r => Array.IndexOf(Workloads.Order, r.Workload)).ToList();
        var rows = ordered.Select(r =>
        {
            var raw = ordered.Where(x => x.Workload == r.Workload && x.Peer.StartsWith("raw", StringComparison.Ordinal)).MaxBy(x => x.PerSecond);
            double? ratio = raw is null || ReferenceEquals(raw, r) ? null : r.PerSecond / raw.PerSecond;
            return new Row(r.Workload, r.Peer, r.PerSecond, r.P50Micros, r.P99Micros, r.MegabytesPerSecond, ratio, ReferenceEquals(raw, r), r.Note);
        }).ToList();
        return new Report(DateTime.UtcNow, ReadCpu(), Environment.ProcessorCount, ReadOs(), RuntimeInformation.FrameworkDescription, bench.Duration.TotalSeconds, rows);
    }

    public static Report Read(string path) => JsonSerializer.Deserialize<Report>(File.ReadAllText(path), Json) ?? throw new InvalidDataException(path);

    public void Write(string path) => File.WriteAllText(path, JsonSerializer.Serialize(this, Json) + "\n");

    /// <summary>"2 cores (CPU), OS, runtime": the machine line of the table's and the chart's titles.</summary>
    public string Machine => $"{Cores} cores ({Cpu}), {Os}, {Runtime}";

    public void Print(TextWriter output)
    {
        output.WriteLine($"# TypedPyro peer comparison, {Date:yyyy-MM-dd HH:mm} UTC, {SecondsPerWorkload:0.#} s per workload");
        output.WriteLine($"Machine: {Machine}; client and server on loopback");
        output.WriteLine();
        output.WriteLine("| workload | peer | calls/s | p50 us | p99 us | MB/s | ratio to raw | note |");
        output.WriteLine("|---|---|---:|---:|---:|---:|---:|---|");
        foreach (var r in Rows)
        {
            string ratio = r.RatioToRaw is { } x ? $"{x:0.00}x" : "";
            output.WriteLine($"| {r.Workload} | {r.Peer} | {Format(r.CallsPerSecond)} | {Format(r.P50Micros)} | {Format(r.P99Micros)} | {Format(r.MegabytesPerSecond)} | {ratio} | {r.Note} |");
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

/// <summary>One line of the table. <see cref="RatioToRaw"/> is calls/s (and so MB/s) over the raw-socket row's.</summary>
internal sealed record Row(string Workload, string Peer, double CallsPerSecond, double? P50Micros, double? P99Micros, double? MegabytesPerSecond, double? RatioToRaw, bool IsRaw, string? Note);
