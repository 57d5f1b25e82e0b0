using System.Collections.Immutable;
using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace TypedPyro.Generators.Tests;

/// <summary>
/// Runs the generator over user sources with <see cref="CSharpGeneratorDriver"/> against the .NET 10 reference
/// assemblies (no downloads) and the TypedPyro runtime, and compiles, emits and loads the result.
/// </summary>
internal static class GeneratorHarness
{
    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    private static readonly ImmutableArray<MetadataReference> References =
    [
        .. Basic.Reference.Assemblies.Net100.References.All,
        MetadataReference.CreateFromFile(typeof(PyroDaemon).Assembly.Location),
        MetadataReference.CreateFromFile(typeof(Microsoft.Extensions.Logging.ILogger).Assembly.Location),
    ];

    /// <summary>The directory of this project's sources (cases and snapshots).</summary>
    public static string ProjectDir { get; } = typeof(GeneratorHarness).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "ProjectDir").Value!;

    /// <summary>The text of <c>Cases/<paramref name="name"/></c>.</summary>
    public static string Case(string name) => File.ReadAllText(Path.Combine(ProjectDir, "Cases", name));

    /// <summary>A compilation of user sources, as a net10.0 project with nullable enabled compiles them.</summary>
    public static CSharpCompilation Compilation(params string[] sources) => CSharpCompilation.Create(
        "UserContracts" + Guid.NewGuid().ToString("N"),
        sources.Select((s, i) => CSharpSyntaxTree.ParseText(s, ParseOptions, path: $"User{i}.cs")),
        References,
        new CSharpCompilationOptions(
            OutputKind.DynamicallyLinkedLibrary,
            nullableContextOptions: NullableContextOptions.Enable,
            warningLevel: 9999,
            allowUnsafe: true));

    /// <summary>A driver that tracks the generator's steps, seeing the given MSBuild properties (none by default).</summary>
    public static GeneratorDriver Driver(Microsoft.CodeAnalysis.Diagnostics.AnalyzerConfigOptionsProvider? buildProperties = null) => CSharpGeneratorDriver.Create(
        [new ContractGenerator().AsSourceGenerator()],
        parseOptions: ParseOptions,
        optionsProvider: buildProperties,
        driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    /// <summary>Runs the generator once.</summary>
    public static Generated Run(params string[] sources) => RunWith(null, sources);

    /// <summary>Runs the generator once with MSBuild properties (<see cref="Support.BuildProperties"/>).</summary>
    public static Generated RunWith(Microsoft.CodeAnalysis.Diagnostics.AnalyzerConfigOptionsProvider? buildProperties, params string[] sources)
    {
        var input = Compilation(sources);
        var driver = Driver(buildProperties).RunGeneratorsAndUpdateCompilation(input, out var output, out var diagnostics);
        var result = driver.GetRunResult();
        Assert.Empty(diagnostics);
        Assert.All(result.Results, r => Assert.Null(r.Exception));
        return new Generated(input, output, result);
    }

    /// <summary>Fails on any error, and on any warning in generated code (or anywhere when <paramref name="userCodeClean"/>).</summary>
    public static void AssertCompiles(Compilation output, bool userCodeClean = true)
    {
        var problems = output.GetDiagnostics()
            .Where(d => d.Severity == DiagnosticSeverity.Error
                || (d.Severity == DiagnosticSeverity.Warning && (userCodeClean || IsGenerated(d))))
            .ToList();
        Assert.True(problems.Count == 0, "compilation problems:\n" + string.Join("\n", problems.Select(Describe)));
    }

    /// <summary>Emits <paramref name="output"/> and loads it into its own load context (sharing the runtime).</summary>
    public static Assembly Load(Compilation output)
    {
        AssertCompiles(output);
        using var image = new MemoryStream();
        var emitted = output.Emit(image);
        Assert.True(emitted.Success, string.Join("\n", emitted.Diagnostics));
        image.Position = 0;
        return new AssemblyLoadContext("generated-" + output.AssemblyName, isCollectible: false).LoadFromStream(image);
    }

    private static bool IsGenerated(Diagnostic d) => d.Location.SourceTree?.FilePath.EndsWith(".g.cs", StringComparison.Ordinal) == true;

    private static string Describe(Diagnostic d)
    {
        string line = "";
        if (d.Location.SourceTree is { } tree)
        {
            int number = d.Location.GetLineSpan().StartLinePosition.Line;
            line = "\n    > " + tree.GetText().Lines[number].ToString().Trim();
        }
        return $"{d.Location.SourceTree?.FilePath}({d.Location.GetLineSpan().StartLinePosition.Line + 1}): {d.Id} {d.GetMessage()}{line}";
    }
}

/// <summary>One generator run: its input, the compilation with the generated sources, and the run result.</summary>
internal sealed record Generated(CSharpCompilation Input, Compilation Output, GeneratorDriverRunResult Result)
{
    /// <summary>Generated sources by hint name.</summary>
    public IReadOnlyDictionary<string, string> Sources => Result.Results
        .SelectMany(r => r.GeneratedSources)
        .ToDictionary(s => s.HintName, s => s.SourceText.ToString());
}
