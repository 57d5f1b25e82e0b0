using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace TypedPyro.Analyzers.CodeFixes;

/// <summary>
/// TPY4001: breaks a circle of remote calls by marking the method(s) one link calls [Oneway] (offered per link
/// whose called methods all return void, Task or ValueTask and are declared in the solution).
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(OnewayCodeFixProvider)), Shared]
public sealed class OnewayCodeFixProvider : CodeFixProvider
{
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(Descriptors.CircularCalls.Id);

    public override FixAllProvider? GetFixAllProvider() => null;

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var diagnostic = context.Diagnostics[0];
        if (!diagnostic.Properties.TryGetValue(CallCycleAnalyzer.OnewayCandidatesProperty, out var candidates) || string.IsNullOrEmpty(candidates)) return;
        var compilation = await context.Document.Project.GetCompilationAsync(context.CancellationToken).ConfigureAwait(false);
        if (compilation is null) return;

        foreach (var group in candidates!.Split(';'))
        {
            var methods = new List<IMethodSymbol>();
            foreach (var id in group.Split('|'))
            {
                if (DocumentationCommentId.GetFirstSymbolForDeclarationId(id, compilation) is IMethodSymbol method) methods.Add(method);
            }
            if (methods.Count == 0) continue;
            string names = string.Join(", ", methods.Select(m => $"'{m.ContainingType.Name}.{m.Name}'"));
            context.RegisterCodeFix(CodeAction.Create(
                $"Make {names} [Oneway]",
                ct => MarkOnewayAsync(context.Document.Project.Solution, methods, ct),
                "TPY4001.Oneway." + group), diagnostic);
        }
    }

    private static async Task<Solution> MarkOnewayAsync(Solution solution, List<IMethodSymbol> methods, CancellationToken cancellationToken)
    {
        var byDocument = new Dictionary<DocumentId, List<MethodDeclarationSyntax>>();
        foreach (var method in methods)
        {
            foreach (var reference in method.DeclaringSyntaxReferences)
            {
                if (solution.GetDocument(reference.SyntaxTree) is not { } document) continue;
                if (await reference.GetSyntaxAsync(cancellationToken).ConfigureAwait(false) is not MethodDeclarationSyntax declaration) continue;
                if (!byDocument.TryGetValue(document.Id, out var list)) byDocument[document.Id] = list = new List<MethodDeclarationSyntax>();
                list.Add(declaration);
            }
        }
        foreach (var pair in byDocument)
        {
            var root = await solution.GetDocument(pair.Key)!.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
            var endOfLine = SyntaxHelpers.EndOfLine(root!);
            var newRoot = root!.ReplaceNodes(pair.Value, (_, rewritten) => SyntaxHelpers.AddAttributeListFirst(rewritten, SyntaxHelpers.PyroAttributeList("Oneway"), endOfLine));
            solution = solution.WithDocumentSyntaxRoot(pair.Key, newRoot);
        }
        return solution;
    }
}
