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

    [Fact]
    public void Unsupported_shapes_match_snapshot()
    {
        var generated = GeneratorHarness.Run(GeneratorHarness.Case("Unsupported.cs"));
        // The user code itself is fine but for the non-partial DTO, which the generator leaves alone.
        GeneratorHarness.AssertCompiles(generated.Output);
        Snapshot.Verify("Unsupported", generated.Sources);
    }
}
