namespace TypedPyro.Peers.Tests;

/// <summary>How repeated runs fold into the rows the verdicts read: medians, the better raw row, each run's ratio.</summary>
public sealed class ReportTests
{
    private const string W = "W9 test";

    private static Bench Runs(params (string Peer, double[] PerSecond)[] rows)
    {
        var bench = new Bench(smoke: true);
        int repetitions = rows[0].PerSecond.Length;
        for (int run = 1; run <= repetitions; run++)
        {
            bench.StartRepetition(run, repetitions);
            foreach (var (peer, perSecond) in rows) bench.Add(new Result(W, peer, perSecond[run - 1]));
        }
        return bench;
    }

    [Fact]
    public void A_repeated_row_is_its_median_and_its_range_is_its_ratio_in_each_run()
    {
        var report = Report.From(Runs(("raw socket", [100, 200, 300]), ("typed", [80, 100, 330])));

        var typed = Assert.Single(report.Rows, r => r.Peer == "typed");
        Assert.Equal(100, typed.CallsPerSecond);
        Assert.Equal(0.5, typed.RatioToRaw!.Value, 6); // median against median, not the median of the ratios (0.8)
        Assert.Equal(0.5, typed.RatioMin!.Value, 6);
        Assert.Equal(1.1, typed.RatioMax!.Value, 6);
        Assert.Equal(3, report.Repetitions);
    }

    [Fact]
    public void The_baseline_is_the_raw_row_with_the_higher_median()
    {
        var report = Report.From(Runs(("raw one way", [100, 100, 100]), ("raw other way", [150, 150, 150]), ("typed", [120, 120, 120])));

        var best = Assert.Single(report.Rows, r => r.IsRaw);
        Assert.Equal("raw other way", best.Peer);
        Assert.Null(best.RatioToRaw);
        Assert.Equal(0.8, report.Rows.Single(r => r.Peer == "typed").RatioToRaw!.Value, 6);
        Assert.Equal(100.0 / 150, report.Rows.Single(r => r.Peer == "raw one way").RatioToRaw!.Value, 6);
    }

    [Fact]
    public void An_even_count_of_runs_takes_the_mean_of_the_middle_two()
    {
        var report = Report.From(Runs(("raw socket", [100, 300]), ("typed", [50, 150])));

        Assert.Equal(200, report.Rows.Single(r => r.Peer == "raw socket").CallsPerSecond);
        Assert.Equal(100, report.Rows.Single(r => r.Peer == "typed").CallsPerSecond);
    }

    [Fact]
    public void Runs_that_measured_different_rows_are_refused()
    {
        var bench = new Bench(smoke: true);
        bench.StartRepetition(1, 2);
        bench.Add(new Result(W, "raw socket", 100));
        bench.Add(new Result(W, "typed", 80));
        bench.StartRepetition(2, 2);
        bench.Add(new Result(W, "raw socket", 100));
        bench.Add(new Result(W, "typed, renamed", 80));

        Assert.Throws<InvalidOperationException>(() => Report.From(bench));
    }

    [Fact]
    public void A_workload_without_a_raw_row_has_no_ratios()
    {
        var report = Report.From(Runs(("ours", [40_000]), ("theirs", [5_000])));

        Assert.All(report.Rows, r => Assert.Null(r.RatioToRaw));
        Assert.DoesNotContain(report.Rows, r => r.IsRaw);
    }
}
