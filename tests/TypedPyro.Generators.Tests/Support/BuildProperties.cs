using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace TypedPyro.Generators.Tests.Support;

/// <summary>MSBuild properties as the compiler shows them to generators (<c>build_property.X</c>), for driver runs.</summary>
internal sealed class BuildProperties(ImmutableDictionary<string, string> global) : AnalyzerConfigOptionsProvider
{
    public static BuildProperties Of(params (string Name, string Value)[] properties)
        => new(properties.ToImmutableDictionary(p => "build_property." + p.Name, p => p.Value));

    public override AnalyzerConfigOptions GlobalOptions { get; } = new Options(global);

    public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => Options.Empty;

    public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => Options.Empty;

    private sealed class Options(ImmutableDictionary<string, string> values) : AnalyzerConfigOptions
    {
        public static readonly Options Empty = new(ImmutableDictionary<string, string>.Empty);

        public override bool TryGetValue(string key, [NotNullWhen(true)] out string? value) => values.TryGetValue(key, out value);
    }
}
