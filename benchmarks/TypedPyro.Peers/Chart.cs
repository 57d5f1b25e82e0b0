using System.Globalization;
using System.Security;
using System.Text;

namespace TypedPyro.Peers;

/// <summary>
/// Renders a run's <see cref="Report"/> as an SVG written by hand: one horizontal bar per peer and workload, the
/// ratio to the raw-socket row of the same workload on a log scale, titled with the machine and the date.
/// Workloads without a raw baseline (name server, gateway, scale) are left to the table.
/// </summary>
internal static class Chart
{
    private const int Width = 1100, LabelRight = 440, BarLeft = 450, BarRight = 940, RowHeight = 18, GroupGap = 26;
    private const string Font = "font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\"";

    private static readonly (string Name, string Color)[] Families =
    [
        ("raw sockets (C#)", "#9e9e9e"),
        ("TypedPyro -> TypedPyro", "#1f77b4"),
        ("TypedPyro <-> Python", "#2ca02c"),
        ("Python Pyro4 -> Python Pyro4", "#e3a21a"),
        ("gRPC for .NET", "#d62728"),
        ("StreamJsonRpc", "#9467bd"),
    ];

    public static void Render(Report report, string path) => File.WriteAllText(path, Svg(report));

    public static string Svg(Report report)
    {
        var groups = report.Rows.Where(r => r.IsRaw || r.RatioToRaw is not null).GroupBy(r => r.Workload)
            .Where(g => g.Any(r => r.IsRaw)).ToList();
        var ratios = groups.SelectMany(g => g).Select(Ratio).DefaultIfEmpty(1).ToList();
        double lo = Math.Pow(10, Math.Floor(Math.Log10(ratios.Min() / 2))); // the shortest bar keeps some length
        double hi = Math.Pow(10, Math.Max(0, Math.Ceiling(Math.Log10(ratios.Max()))));
        double X(double ratio) => BarLeft + (Math.Log10(ratio) - Math.Log10(lo)) / (Math.Log10(hi) - Math.Log10(lo)) * (BarRight - BarLeft);

        int top = 112;
        int height = top + groups.Sum(g => GroupGap + g.Count() * RowHeight) + 60;
        var svg = new StringBuilder();
        svg.AppendLine(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{height}\" viewBox=\"0 0 {Width} {height}\" {Font}>");
        svg.AppendLine(CultureInfo.InvariantCulture, $"<rect width=\"{Width}\" height=\"{height}\" fill=\"white\"/>");
        Text(svg, 20, 30, "TypedPyro peer comparison: calls/s as a ratio to raw sockets (log scale, higher is better)", 18, "bold");
        Text(svg, 20, 52, $"{report.Date:yyyy-MM-dd HH:mm} UTC · {report.Machine} · loopback · {report.SecondsPerWorkload:0.#} s per workload{report.RepetitionsTitle}", 12);

        double legendX = 20;
        foreach (var (name, color) in Families)
        {
            svg.AppendLine(CultureInfo.InvariantCulture, $"<rect x=\"{legendX:0}\" y=\"66\" width=\"12\" height=\"12\" fill=\"{color}\"/>");
            Text(svg, legendX + 16, 77, name, 12);
            legendX += 30 + name.Length * 6.6;
        }

        int bottom = height - 50;
        for (double decade = lo; decade <= hi * 1.0001; decade *= 10)
        {
            foreach (double minor in new[] { 2.0, 5.0 })
            {
                if (decade * minor < hi) Line(svg, X(decade * minor), top - 8, bottom, "#eeeeee");
            }
            Line(svg, X(decade), top - 8, bottom, decade == 1 ? "#555555" : "#cccccc");
            string label = Tick(decade);
            Text(svg, X(decade), top - 14, label, 11, anchor: "middle");
            Text(svg, X(decade), bottom + 14, label, 11, anchor: "middle");
        }

        double y = top;
        foreach (var group in groups)
        {
            y += GroupGap;
            Text(svg, 20, y - 6, group.Key, 13, "bold");
            foreach (var row in group)
            {
                double ratio = Ratio(row);
                double end = X(ratio);
                svg.AppendLine(CultureInfo.InvariantCulture, $"<rect x=\"{BarLeft}\" y=\"{y + 3:0}\" width=\"{Math.Max(1, end - BarLeft):0.0}\" height=\"{RowHeight - 6}\" fill=\"{Color(row.Peer)}\"/>");
                if (row.RatioMin is { } min && row.RatioMax is { } max)
                {
                    // A repeated run: the ratio's range over the single runs, as a whisker across the bar's end.
                    Whisker(svg, X(min), X(max), y + RowHeight / 2.0);
                }
                Text(svg, LabelRight, y + 13, row.Peer, 11, anchor: "end");
                string figure = row.MegabytesPerSecond is { } mb ? $"{mb:N0} MB/s" : $"{row.CallsPerSecond:N0}/s";
                Text(svg, Math.Max(end, row.RatioMax is { } highest ? X(highest) : end) + 5, y + 13, row.IsRaw ? $"1x = {figure}" : $"{Ratio(ratio)} ({figure})", 11);
                y += RowHeight;
            }
        }
        string bars = report.Repetitions > 1
            ? $"Each bar: the median calls/s (W4: MB/s) of {report.Repetitions} runs over the raw row's median; the line spans its ratio in each run. "
            : "Each bar: calls/s (W4: MB/s) over the raw-socket row of its workload, measured in the same run. ";
        Text(svg, 20, height - 14, bars + "Name server, gateway, scale: see the table.", 11, fill: "#555555");
        svg.AppendLine("</svg>");
        return svg.ToString();
    }

    private static double Ratio(Row row) => row.IsRaw ? 1 : row.RatioToRaw!.Value;

    /// <summary>A bar's label: two decimals, three below 0.1x.</summary>
    private static string Ratio(double ratio) => ratio.ToString(ratio >= 0.1 ? "0.00" : "0.000", CultureInfo.InvariantCulture) + "x";

    /// <summary>An axis label: 0.01x, 0.1x, 1x, 10x.</summary>
    private static string Tick(double ratio) => ratio.ToString("0.####", CultureInfo.InvariantCulture) + "x";

    private static string Color(string peer) => Families[
        peer.StartsWith("raw", StringComparison.Ordinal) ? 0
        : peer.StartsWith("TypedPyro -> TypedPyro", StringComparison.Ordinal) ? 1
        : peer.StartsWith("Python -> Python", StringComparison.Ordinal) ? 3
        : peer.StartsWith("gRPC", StringComparison.Ordinal) ? 4
        : peer.StartsWith("StreamJsonRpc", StringComparison.Ordinal) ? 5
        : 2].Color;

    private static void Line(StringBuilder svg, double x, double y1, double y2, string stroke) =>
        svg.AppendLine(CultureInfo.InvariantCulture, $"<line x1=\"{x:0.0}\" y1=\"{y1:0}\" x2=\"{x:0.0}\" y2=\"{y2:0}\" stroke=\"{stroke}\"/>");

    private static void Whisker(StringBuilder svg, double x1, double x2, double y)
    {
        svg.AppendLine(CultureInfo.InvariantCulture, $"<line x1=\"{x1:0.0}\" y1=\"{y:0.0}\" x2=\"{x2:0.0}\" y2=\"{y:0.0}\" stroke=\"#222222\" stroke-width=\"1.5\"/>");
        foreach (double x in new[] { x1, x2 })
            svg.AppendLine(CultureInfo.InvariantCulture, $"<line x1=\"{x:0.0}\" y1=\"{y - 4:0.0}\" x2=\"{x:0.0}\" y2=\"{y + 4:0.0}\" stroke=\"#222222\" stroke-width=\"1.5\"/>");
    }

    private static void Text(StringBuilder svg, double x, double y, string text, int size, string weight = "normal", string anchor = "start", string fill = "#222222") =>
        svg.AppendLine(CultureInfo.InvariantCulture,
            $"<text x=\"{x:0.0}\" y=\"{y:0.0}\" font-size=\"{size}\" font-weight=\"{weight}\" text-anchor=\"{anchor}\" fill=\"{fill}\">{SecurityElement.Escape(text)}</text>");
}
