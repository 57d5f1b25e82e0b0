namespace TypedPyro.Generators.Tests;

/// <summary>
/// Generated text of representative contracts against checked-in expected files (<c>Snapshots/</c>); every case's
/// output must also compile without errors or warnings.
/// </summary>
public sealed class SnapshotTests
{
    [Theory]
    [InlineData("Warehouse")]
    [InlineData("Jobs")]
    [InlineData("Inheritance")]
    [InlineData("Dto")]
    [InlineData("PartialExposure")]
    [InlineData("Types")]
    public void Generated_code_matches_snapshot(string caseName)
    {
        var generated = GeneratorHarness.Run(GeneratorHarness.Case(caseName + ".cs"));
        GeneratorHarness.AssertCompiles(generated.Output);
        Snapshot.Verify(caseName, generated.Sources);
    }

    /// <summary>Generated code needs C# 12 (the .NET 8 default), not the latest language version.</summary>
    [Theory]
    [InlineData("Jobs")]
    [InlineData("Dto")]
    [InlineData("Types")]
    [InlineData("Unsupported")]
    public void Generated_code_compiles_as_csharp_12(string caseName)
    {
        var options = GeneratorHarness.ParseOptions.WithLanguageVersion(Microsoft.CodeAnalysis.CSharp.LanguageVersion.CSharp12);
        var input = GeneratorHarness.Compilation(GeneratorHarness.Case(caseName + ".cs"));
        input = input.RemoveAllSyntaxTrees().AddSyntaxTrees(input.SyntaxTrees.Select(t => t.WithRootAndOptions(t.GetRoot(), options)));
        GeneratorHarness.Driver().WithUpdatedParseOptions(options).RunGeneratorsAndUpdateCompilation(input, out var output, out var diagnostics);
        Assert.Empty(diagnostics);
        GeneratorHarness.AssertCompiles(output);
    }

    [Fact]
    public void Unsupported_shapes_match_snapshot()
    {
        var generated = GeneratorHarness.Run(GeneratorHarness.Case("Unsupported.cs"));
        // The user code itself is fine but for the non-partial DTO, which the generator leaves alone.
        GeneratorHarness.AssertCompiles(generated.Output);
        Snapshot.Verify("Unsupported", generated.Sources);
    }
}
