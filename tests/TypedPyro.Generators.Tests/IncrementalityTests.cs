using System.Collections;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace TypedPyro.Generators.Tests;

/// <summary>
/// The pipeline caches: a second run is all Cached/Unchanged, an unrelated edit leaves every output alone, an edit of
/// one contract regenerates that contract only, and no model holds a symbol, syntax node or compilation.
/// </summary>
public sealed class IncrementalityTests
{
    private static readonly string[] StepNames =
    [
        TrackingNames.InterfaceContracts,
        TrackingNames.MemberContracts,
        TrackingNames.Contracts,
        TrackingNames.Dtos,
        TrackingNames.DistinctDtos,
    ];

    private static readonly string[] Cases = ["Warehouse.cs", "Jobs.cs", "Dto.cs", "PartialExposure.cs", "Inheritance.cs"];

    private static (GeneratorDriver Driver, CSharpCompilation Compilation) FirstRun()
    {
        var compilation = GeneratorHarness.Compilation(Cases.Select(GeneratorHarness.Case).ToArray());
        var driver = GeneratorHarness.Driver().RunGenerators(compilation);
        var result = driver.GetRunResult().Results.Single();
        Assert.Null(result.Exception);
        // Every step ran and produced something: the test below would prove nothing otherwise.
        foreach (var name in StepNames) Assert.NotEmpty(result.TrackedSteps[name]);
        return (driver, compilation);
    }

    [Fact]
    public void Second_run_is_cached()
    {
        var (driver, compilation) = FirstRun();
        var first = driver.GetRunResult().Results.Single();
        var second = driver.RunGenerators(compilation.Clone()).GetRunResult().Results.Single();

        AssertStepsCached(second);
        AssertOutputs(second, IncrementalStepRunReason.Cached);
        Assert.Equal(first.GeneratedSources.Select(s => s.SourceText.ToString()), second.GeneratedSources.Select(s => s.SourceText.ToString()));
    }

    [Fact]
    public void Unrelated_edit_leaves_outputs_unchanged()
    {
        var (driver, compilation) = FirstRun();
        var edited = compilation.AddSyntaxTrees(CSharpSyntaxTree.ParseText(
            "namespace Other; public class Unrelated { public int X { get; set; } }", GeneratorHarness.ParseOptions, path: "Unrelated.cs"));
        var second = driver.RunGenerators(edited).GetRunResult().Results.Single();

        AssertStepsCached(second);
        AssertOutputs(second, IncrementalStepRunReason.Cached);
    }

    [Fact]
    public void Editing_one_contract_regenerates_only_it()
    {
        var (driver, compilation) = FirstRun();
        var warehouse = compilation.SyntaxTrees.First(t => t.GetText().ToString().Contains("interface IWarehouse", StringComparison.Ordinal));
        string text = warehouse.GetText().ToString().Replace("int GetStock(string item);", "int GetStock(string item);\n    int Count();", StringComparison.Ordinal);
        var edited = compilation.ReplaceSyntaxTree(warehouse, CSharpSyntaxTree.ParseText(text, GeneratorHarness.ParseOptions, path: warehouse.FilePath));
        var second = driver.RunGenerators(edited).GetRunResult().Results.Single();

        var changed = second.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs)
            .Where(o => o.Reason is not (IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged))
            .ToList();
        Assert.NotEmpty(changed);
        Assert.All(changed, o => Assert.Equal(IncrementalStepRunReason.Modified, o.Reason));
        Assert.Contains("Count", second.GeneratedSources.Single(s => s.HintName == "Example.IWarehouse.PyroProxy.g.cs").SourceText.ToString());
        // Only the edited contract's model changed, and only its output ran again.
        Assert.Single(second.TrackedSteps[TrackingNames.InterfaceContracts].SelectMany(s => s.Outputs), o => o.Reason == IncrementalStepRunReason.Modified);
        Assert.Single(second.TrackedSteps[TrackingNames.Contracts].SelectMany(s => s.Outputs), o => o.Reason == IncrementalStepRunReason.Modified);
        Assert.Single(changed);
    }

    [Fact]
    public void Models_hold_no_symbols_syntax_or_compilations()
    {
        var (driver, _) = FirstRun();
        var result = driver.GetRunResult().Results.Single();
        foreach (var name in StepNames)
        {
            foreach (var step in result.TrackedSteps[name])
            {
                foreach (var (value, _) in step.Outputs) AssertPlain(value, name, new HashSet<object>(ReferenceEqualityComparer.Instance));
            }
        }
    }

    private static void AssertStepsCached(GeneratorRunResult result)
    {
        foreach (var name in StepNames)
        {
            var outputs = result.TrackedSteps[name].SelectMany(s => s.Outputs).ToList();
            Assert.NotEmpty(outputs);
            Assert.All(outputs, o => Assert.True(
                o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged,
                $"{name}: {o.Reason} {o.Value}"));
        }
    }

    private static void AssertOutputs(GeneratorRunResult result, IncrementalStepRunReason reason)
    {
        var outputs = result.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs).ToList();
        Assert.NotEmpty(outputs);
        Assert.All(outputs, o => Assert.Equal(reason, o.Reason));
    }

    /// <summary>Walks a model's object graph; fails on anything that would keep a compilation alive or defeat caching.</summary>
    internal static void AssertPlain(object? value, string path, HashSet<object> seen)
    {
        if (value is null || value is string || value.GetType().IsPrimitive || value.GetType().IsEnum) return;
        Assert.False(
            value is ISymbol or SyntaxNode or SyntaxTree or Compilation or SemanticModel or Location or AttributeData,
            $"{path} holds a {value.GetType().Name}");
        if (!value.GetType().IsValueType && !seen.Add(value)) return;
        if (value is IEnumerable items)
        {
            int i = 0;
            foreach (var item in items) AssertPlain(item, $"{path}[{i++}]", seen);
        }
        for (var type = value.GetType(); type is not null && type != typeof(object); type = type.BaseType)
        {
            foreach (var field in type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            {
                AssertPlain(field.GetValue(value), path + "." + field.Name, seen);
            }
        }
    }
}
