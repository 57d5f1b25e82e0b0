using System.Reflection;
using TypedPyro.Fuzz;

namespace TypedPyro.Tests.Fuzzing;

/// <summary>
/// Replays every committed fuzz input, seeds (fuzz/corpus/TARGET/) and inputs that once found a bug
/// (fuzz/regressions/TARGET/), through the same target code AFL++ runs: no fuzzer needed. A target lets only the
/// typed errors its API documents pass; any other exception fails the test with the file's name.
/// </summary>
public class FuzzCorpusReplayTests
{
    private static readonly string FuzzDir = typeof(FuzzCorpusReplayTests).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "FuzzDir").Value!;

    public static TheoryData<string> Targets => [.. FuzzTargets.Names];

    [Theory]
    [MemberData(nameof(Targets))]
    public void Every_committed_input_runs_without_an_unexpected_exception(string target)
    {
        var fuzzTarget = FuzzTargets.Create(target)!;
        var seeds = Files("corpus", target);
        Assert.True(seeds.Count >= 5, $"fuzz/corpus/{target}/ holds {seeds.Count} seeds");
        foreach (var file in seeds.Concat(Files("regressions", target)))
        {
            var input = File.ReadAllBytes(file);
            var error = Record.Exception(() => fuzzTarget.Run(input));
            Assert.True(error is null, $"{Path.GetRelativePath(FuzzDir, file)}: {error}");
        }
    }

    [Fact]
    public void Every_target_has_a_seed_corpus_of_a_few_kilobytes_per_file()
    {
        foreach (var target in FuzzTargets.Names)
        {
            var seeds = Files("corpus", target);
            Assert.NotEmpty(seeds);
            Assert.All(seeds, f => Assert.True(new FileInfo(f).Length <= 4096, f));
            Assert.Equal(target, FuzzTargets.Create(target)!.Name);
        }
    }

    private static List<string> Files(string kind, string target)
    {
        var folder = Path.Combine(FuzzDir, kind, target);
        return Directory.Exists(folder) ? [.. Directory.EnumerateFiles(folder).Order(StringComparer.Ordinal)] : [];
    }
}
