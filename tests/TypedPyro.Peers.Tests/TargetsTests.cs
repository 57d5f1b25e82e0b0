using System.Text.RegularExpressions;
using TypedPyro.Generators.Tests.Support;

namespace TypedPyro.Peers.Tests;

/// <summary>The verdicts the peer harness prints on benchmarks/targets.json: they decide whether issue 24's targets are met.</summary>
public sealed class TargetsTests
{
    private const string W = "W9 test";
    private const string Typed = "typed row";
    private const string RawBest = "raw fast row";

    private static Row Measured(string peer, double perSecond, double? ratio = null, bool isRaw = false, string workload = W)
        => new(workload, peer, perSecond, null, null, null, ratio, isRaw, null);

    private static Report ReportOf(params Row[] rows) => new(DateTime.UtcNow, "cpu", 2, "os", "runtime", 5, rows);

    private static Verdict JudgeOne(PerformanceTarget target, Report report) => Assert.Single(new Targets([target]).Judge(report));

    [Theory]
    [InlineData(0.80, true)]
    [InlineData(0.95, true)]
    [InlineData(0.79, false)]
    public void A_target_against_raw_is_met_at_its_line_and_missed_below_it(double ratio, bool met)
    {
        var verdict = JudgeOne(new PerformanceTarget(W, Typed, 0.8, Targets.Raw),
            ReportOf(Measured(RawBest, 1000, isRaw: true), Measured(Typed, 1000 * ratio, ratio)));

        Assert.Equal(met, verdict.Met);
        Assert.True(verdict.Judged);
        Assert.Contains($"{ratio:0.00}x raw", verdict.Text);
    }

    [Fact]
    public void A_row_the_run_did_not_measure_is_missed_so_a_renamed_row_cannot_pass()
    {
        var verdict = JudgeOne(new PerformanceTarget(W, "renamed row", 0.8, Targets.Raw), ReportOf(Measured(RawBest, 1000, isRaw: true), Measured(Typed, 900, 0.9)));

        Assert.False(verdict.Met);
        Assert.True(verdict.Judged);
        Assert.Contains("not measured", verdict.Text);
    }

    [Fact]
    public void A_row_without_a_raw_ratio_is_missed()
    {
        var verdict = JudgeOne(new PerformanceTarget(W, Typed, 0.8, Targets.Raw), ReportOf(Measured(Typed, 900)));

        Assert.False(verdict.Met);
        Assert.Contains("no raw row", verdict.Text);
    }

    [Theory]
    [InlineData(900_000, 0.69, true)]   // met by the alternative only
    [InlineData(1_100_000, 0.50, true)] // met by the calls/s line only
    [InlineData(900_000, 0.50, false)]  // neither
    public void A_target_with_an_alternative_is_met_by_either_way(double perSecond, double ratio, bool met)
    {
        var target = new PerformanceTarget(W, Typed, 1_000_000, Targets.CallsPerSecond, Or: new Alternative(0.6, Targets.Raw));

        var verdict = JudgeOne(target, ReportOf(Measured(RawBest, perSecond / ratio, isRaw: true), Measured(Typed, perSecond, ratio)));

        Assert.Equal(met, verdict.Met);
        Assert.Contains("(or >= 0.6x raw)", verdict.Text);
    }

    [Theory]
    [InlineData(40_000, 5_000, true)]
    [InlineData(40_000, 15_000, false)]
    public void A_comparison_with_another_row_is_the_ratio_of_the_two(double ours, double theirs, bool met)
    {
        var verdict = JudgeOne(new PerformanceTarget(W, Typed, 4, "python row"), ReportOf(Measured(Typed, ours), Measured("python row", theirs)));

        Assert.Equal(met, verdict.Met);
        Assert.Contains($"= {ours / theirs:0.00}x", verdict.Text);
    }

    [Fact]
    public void A_comparison_row_the_run_did_not_measure_makes_the_target_missed()
    {
        var verdict = JudgeOne(new PerformanceTarget(W, Typed, 4, "python row"), ReportOf(Measured(Typed, 40_000)));

        Assert.False(verdict.Met);
        Assert.Contains("'python row' not measured", verdict.Text);
    }

    [Theory]
    [InlineData(0.74, false)] // below the target: the target is shown, not counted
    [InlineData(0.85, true)]  // at or above it: the target is judged (and missed at 0.4x)
    public void A_floor_exempts_its_target_only_while_the_floor_measures_below_the_target(double floorRatio, bool judged)
    {
        var target = new PerformanceTarget(W, Typed, 0.8, Targets.Raw, Floor: new Floor("floor row", "the contract's own limit"));
        var report = ReportOf(Measured(RawBest, 1000, isRaw: true), Measured("floor row", 1000 * floorRatio, floorRatio), Measured(Typed, 400, 0.4));

        var verdict = JudgeOne(target, report);

        Assert.Equal(judged, verdict.Judged);
        Assert.False(verdict.Met);
        Assert.Equal(!judged, verdict.Text.Contains($"not judged: its floor 'floor row' is {floorRatio:0.00}x raw - the contract's own limit", StringComparison.Ordinal));
    }

    [Fact]
    public void The_last_line_counts_judged_targets_only_in_the_form_test_sh_checks()
    {
        var targets = new Targets(
        [
            new PerformanceTarget(W, Typed, 0.8, Targets.Raw),
            new PerformanceTarget(W, "slow row", 0.8, Targets.Raw),
            new PerformanceTarget(W, "threaded row", 0.8, Targets.Raw, Floor: new Floor("floor row", "why")),
        ]);
        var report = ReportOf(Measured(RawBest, 1000, isRaw: true), Measured(Typed, 900, 0.9), Measured("slow row", 500, 0.5),
            Measured("threaded row", 300, 0.3), Measured("floor row", 700, 0.7));
        var output = new StringWriter();

        Targets.Print(targets.Judge(report), output);

        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal("targets: 1 met, 1 missed", lines[^1]);
        Assert.Matches(new Regex("^targets: [0-9]+ met, [0-9]+ missed$"), lines[^1]);
        Assert.Equal(["met", "missed", "shown"], lines[..^1].Select(l => Regex.Match(l, "^target (met|missed|shown): ").Groups[1].Value));
    }

    [Fact]
    public void A_targets_run_measures_the_figures_what_they_are_compared_with_and_nothing_else()
    {
        var targets = new Targets(
        [
            new PerformanceTarget(W, Typed, 0.8, Targets.Raw, Floor: new Floor("floor row", "why")),
            new PerformanceTarget("NS", "ours", 4, "theirs"),
        ]);

        Assert.True(targets.Needs(W, Typed));
        Assert.True(targets.Needs(W, "floor row"));
        Assert.True(targets.Needs(W, "raw any socket row"));
        Assert.True(targets.Needs("NS", "ours"));
        Assert.True(targets.Needs("NS", "theirs"));
        Assert.False(targets.Needs(W, "python row"));
        Assert.False(targets.Needs("NS", "raw socket row")); // NS is judged against another row, not raw
        Assert.False(targets.Needs("W1", Typed));
    }

    [Fact]
    public void The_repository_targets_load_and_each_names_rows_the_latest_recorded_run_measured()
    {
        string root = RepositoryProcess.Root();
        var targets = Targets.Load(Path.Combine(root, "benchmarks", "targets.json"));
        var latest = Report.Read(Path.Combine(root, "benchmarks", "TypedPyro.Peers", "results-targets-latest.json"));

        Assert.NotEmpty(targets.List);
        Assert.All(targets.Judge(latest), v => Assert.DoesNotContain("not measured", v.Text));
    }

    [Theory]
    [InlineData("""{ "targets": [ { "workload": "W1", "figure": "", "target": 0.8, "comparison": "raw" } ] }""", "needs a workload, a figure and a comparison")]
    [InlineData("""{ "targets": [ { "workload": "NS", "figure": "ours", "target": 4, "comparison": "theirs", "floor": { "row": "r", "reason": "why" } } ] }""", "a floor needs a target against raw")]
    public void A_malformed_targets_file_is_refused_naming_the_rule(string json, string message)
    {
        string path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, json);
            var error = Assert.Throws<InvalidDataException>(() => Targets.Load(path));
            Assert.Contains(message, error.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
