using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;

namespace TypedPyro.Analyzers.Tests;

/// <summary>
/// Runs analyzers and fixes with Microsoft.CodeAnalysis.Testing, offline: no reference-assembly package is
/// resolved (an empty "net10.0" set) and the .NET 10 reference assemblies come from Basic.Reference.Assemblies.
/// </summary>
internal static class Verify
{
    /// <summary>An empty set: nothing is downloaded; <see cref="Prelude.References"/> supplies the framework.</summary>
    public static ReferenceAssemblies NoPackages { get; } = new("net10.0");

    private const string UsingsPath = "/0/GlobalUsings.cs";

    public static Task Analyzer<TAnalyzer>(string source, params DiagnosticResult[] expected)
        where TAnalyzer : DiagnosticAnalyzer, new()
        => Analyzer<TAnalyzer>(source, serializer: null, expected);

    public static async Task Analyzer<TAnalyzer>(string source, string? serializer, params DiagnosticResult[] expected)
        where TAnalyzer : DiagnosticAnalyzer, new()
    {
        var test = new CSharpAnalyzerTest<TAnalyzer, DefaultVerifier>
        {
            ReferenceAssemblies = NoPackages,
            TestCode = source,
        };
        test.TestState.Sources.Add((UsingsPath, Prelude.GlobalUsings));
        test.TestState.AdditionalReferences.AddRange(Prelude.References);
        if (serializer is not null)
            test.TestState.AnalyzerConfigFiles.Add(("/.globalconfig", $"is_global = true\nbuild_property.TypedPyroSerializer = {serializer}\n"));
        test.ExpectedDiagnostics.AddRange(expected);
        await test.RunAsync();
    }

    public static Task CodeFix<TAnalyzer, TCodeFix>(string source, string fixedSource, string? equivalenceKey = null, params DiagnosticResult[] expected)
        where TAnalyzer : DiagnosticAnalyzer, new()
        where TCodeFix : CodeFixProvider, new()
        => CodeFix<TAnalyzer, TCodeFix>(source, fixedSource, equivalenceKey, CodeFixTestBehaviors.None, expected);

    /// <param name="behaviors">SkipLocalDiagnosticCheck for fixes of compilation-end (non-local) diagnostics.</param>
    public static async Task CodeFix<TAnalyzer, TCodeFix>(string source, string fixedSource, string? equivalenceKey, CodeFixTestBehaviors behaviors, params DiagnosticResult[] expected)
        where TAnalyzer : DiagnosticAnalyzer, new()
        where TCodeFix : CodeFixProvider, new()
    {
        var test = new CSharpCodeFixTest<TAnalyzer, TCodeFix, DefaultVerifier>
        {
            ReferenceAssemblies = NoPackages,
            TestCode = source,
            FixedCode = fixedSource,
            CodeActionEquivalenceKey = equivalenceKey,
            CodeFixTestBehaviors = behaviors,
        };
        test.TestState.Sources.Add((UsingsPath, Prelude.GlobalUsings));
        test.FixedState.Sources.Add((UsingsPath, Prelude.GlobalUsings));
        test.TestState.AdditionalReferences.AddRange(Prelude.References);
        test.FixedState.AdditionalReferences.AddRange(Prelude.References);
        test.ExpectedDiagnostics.AddRange(expected);
        await test.RunAsync();
    }

    public static DiagnosticResult Diagnostic(DiagnosticDescriptor descriptor) => new(descriptor);
}
