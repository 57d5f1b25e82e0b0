using System.Text;
using System.Text.RegularExpressions;

namespace TypedPyro.Generators.Tests;

/// <summary>
/// Compares generated files with checked-in expected files <c>Snapshots/{case}.{hint name}</c>, the generator version
/// scrubbed. <c>TYPEDPYRO_UPDATE_SNAPSHOTS=1</c> rewrites them (and removes stale ones) instead of failing.
/// </summary>
internal static partial class Snapshot
{
    private static string Directory => Path.Combine(GeneratorHarness.ProjectDir, "Snapshots");

    private static bool Update => Environment.GetEnvironmentVariable("TYPEDPYRO_UPDATE_SNAPSHOTS") == "1";

    public static void Verify(string caseName, IReadOnlyDictionary<string, string> generated)
    {
        var actual = generated.ToDictionary(g => caseName + "." + g.Key, g => Scrub(g.Value));
        var expectedFiles = System.IO.Directory.GetFiles(Directory, caseName + ".*").Select(Path.GetFileName).ToHashSet()!;
        if (Update)
        {
            foreach (var stale in expectedFiles.Where(f => !actual.ContainsKey(f!))) File.Delete(Path.Combine(Directory, stale!));
            foreach (var (name, text) in actual) File.WriteAllText(Path.Combine(Directory, name), text);
            return;
        }

        var failures = new StringBuilder();
        foreach (var missing in expectedFiles.Where(f => !actual.ContainsKey(f!))) failures.AppendLine($"{missing}: expected but not generated");
        foreach (var (name, text) in actual.OrderBy(a => a.Key, StringComparer.Ordinal))
        {
            string path = Path.Combine(Directory, name);
            if (!File.Exists(path))
            {
                failures.AppendLine($"{name}: generated but has no snapshot");
                continue;
            }
            string expected = File.ReadAllText(path).Replace("\r\n", "\n");
            if (expected != text) failures.AppendLine($"{name}: {FirstDifference(expected, text)}");
        }
        Assert.True(failures.Length == 0, "generated code differs from its snapshot (TYPEDPYRO_UPDATE_SNAPSHOTS=1 rewrites them):\n" + failures);
    }

    /// <summary>Removes what changes from build to build: the generator version.</summary>
    public static string Scrub(string text) => VersionPattern().Replace(text.Replace("\r\n", "\n"), "\"TypedPyro.Generators\", \"VERSION\"");

    private static string FirstDifference(string expected, string actual)
    {
        var e = expected.Split('\n');
        var a = actual.Split('\n');
        for (int i = 0; i < Math.Max(e.Length, a.Length); i++)
        {
            string el = i < e.Length ? e[i] : "<end>";
            string al = i < a.Length ? a[i] : "<end>";
            if (el != al) return $"line {i + 1}\n  expected: {el}\n  actual:   {al}";
        }
        return "same lines, different text";
    }

    [GeneratedRegex("\"TypedPyro\\.Generators\", \"[^\"]*\"")]
    private static partial Regex VersionPattern();
}
