using System.Collections.Immutable;
using System.Composition;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace TypedPyro.Analyzers.CodeFixes;

/// <summary>
/// TPY5004: binds the daemon to <c>localhost</c> (Pyro's default), for code that never meant to serve other machines.
/// Turning TLS on needs certificates the fix cannot invent; the diagnostic's page shows how.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(LoopbackHostCodeFixProvider)), Shared]
public sealed class LoopbackHostCodeFixProvider : CodeFixProvider
{
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(Descriptors.UnprotectedNetworkDaemon.Id);

    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null) return;
        var diagnostic = context.Diagnostics[0];
        if (root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true) is not ExpressionSyntax host) return;
        var localhost = SyntaxFactory.LiteralExpression(SyntaxKind.StringLiteralExpression, SyntaxFactory.Literal("localhost")).WithTriviaFrom(host);
        context.RegisterCodeFix(CodeAction.Create(
            "Bind the daemon to localhost",
            _ => Task.FromResult(context.Document.WithSyntaxRoot(root.ReplaceNode(host, localhost))),
            "TPY5004.Localhost"), diagnostic);
    }
}
