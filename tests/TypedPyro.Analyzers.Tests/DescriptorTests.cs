using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Xunit;

namespace TypedPyro.Analyzers.Tests;

/// <summary>Every descriptor is supported by an analyzer, documented, and tracked in AnalyzerReleases.</summary>
public class DescriptorTests
{
    public static TheoryData<string> Ids => [.. AllDescriptors().Select(d => d.Id)];

    private static IEnumerable<DiagnosticDescriptor> AllDescriptors()
        => typeof(Descriptors).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.FieldType == typeof(DiagnosticDescriptor))
            .Select(f => (DiagnosticDescriptor)f.GetValue(null)!)
            .OrderBy(d => d.Id, StringComparer.Ordinal);

    private static string RepoFile(params string[] parts)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (Directory.Exists(Path.Combine(dir.FullName, "docs", "diagnostics"))) return Path.Combine([dir.FullName, .. parts]);
        }
        throw new DirectoryNotFoundException("docs/diagnostics not found above " + AppContext.BaseDirectory);
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void IsSupportedDocumentedAndTracked(string id)
    {
        var descriptor = AllDescriptors().Single(d => d.Id == id);
        DiagnosticAnalyzer[] analyzers = [new ContractAnalyzer(), new SerializerAnalyzer(), new HmacKeyAnalyzer(), new ProxyLifetimeAnalyzer(), new CallCycleAnalyzer(), new NetworkExposureAnalyzer()];
        Assert.Single(analyzers, a => a.SupportedDiagnostics.Contains(descriptor));
        Assert.Matches(@"^TPY[1-6]\d{3}$", id);
        Assert.Equal(Descriptors.HelpLinkBase + id + ".md", descriptor.HelpLinkUri);

        string page = File.ReadAllText(RepoFile("docs", "diagnostics", id + ".md"));
        Assert.StartsWith($"# {id}: {descriptor.Title}", page);
        Assert.Contains($"| Severity | {descriptor.DefaultSeverity} |", page);
        Assert.Contains($"| Category | {descriptor.Category} |", page);
        Assert.Contains($"[{id}]({id}.md) | {descriptor.Title} | {descriptor.DefaultSeverity} | {descriptor.Category} |", File.ReadAllText(RepoFile("docs", "diagnostics", "README.md")));

        string releases = File.ReadAllText(RepoFile("analyzers", "TypedPyro.Analyzers", "AnalyzerReleases.Unshipped.md"));
        Assert.Contains($"{id} | {descriptor.Category} | {descriptor.DefaultSeverity} |", releases);
    }
}
