using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace TypedPyro.Analyzers.CodeFixes;

/// <summary>TPY6001: turns <c>var proxy = new PyroProxy(...)</c> into a <c>using</c> (or <c>await using</c>) declaration.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(UsingProxyCodeFixProvider)), Shared]
public sealed class UsingProxyCodeFixProvider : CodeFixProvider
{
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(Descriptors.ProxyNotReleased.Id);

    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        var model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null || model is null) return;
        var diagnostic = context.Diagnostics[0];
        var node = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
        if (node.FirstAncestorOrSelf<LocalDeclarationStatementSyntax>() is not { } statement) return;
        if (statement.Declaration.Variables.Count != 1 || !statement.UsingKeyword.IsKind(SyntaxKind.None)) return;
        if (statement.Parent is not (BlockSyntax or GlobalStatementSyntax)) return; // not allowed directly in a switch section
        if (model.GetDeclaredSymbol(statement.Declaration.Variables[0], context.CancellationToken) is not ILocalSymbol local) return;

        bool disposable = Implements(local.Type, "IDisposable");
        bool asyncDisposable = Implements(local.Type, "IAsyncDisposable");
        bool inAsync = IsInAsyncContext(statement);
        if (asyncDisposable && inAsync)
        {
            context.RegisterCodeFix(CodeAction.Create("Add 'await using'", ct => AddUsingAsync(context.Document, statement, true, ct), "TPY6001.AwaitUsing"), diagnostic);
        }
        if (disposable)
        {
            context.RegisterCodeFix(CodeAction.Create("Add 'using'", ct => AddUsingAsync(context.Document, statement, false, ct), "TPY6001.Using"), diagnostic);
        }
    }

    private static bool Implements(ITypeSymbol type, string name)
        => IsSystem(type, name) || type.AllInterfaces.Any(i => IsSystem(i, name));

    private static bool IsSystem(ITypeSymbol type, string name) => PyroModel.Is(type, "System", name);

    private static bool IsInAsyncContext(SyntaxNode node)
    {
        foreach (var ancestor in node.Ancestors())
        {
            switch (ancestor)
            {
                case AnonymousFunctionExpressionSyntax lambda:
                    return lambda.AsyncKeyword.IsKind(SyntaxKind.AsyncKeyword);
                case LocalFunctionStatementSyntax function:
                    return function.Modifiers.Any(SyntaxKind.AsyncKeyword);
                case MethodDeclarationSyntax method:
                    return method.Modifiers.Any(SyntaxKind.AsyncKeyword);
                case AccessorDeclarationSyntax or ConstructorDeclarationSyntax or OperatorDeclarationSyntax:
                    return false;
                case GlobalStatementSyntax:
                    // Top-level statements are async when any of them awaits.
                    return ancestor.Parent is CompilationUnitSyntax unit && unit.Members.OfType<GlobalStatementSyntax>()
                        .Any(g => g.DescendantNodes(n => n is not (AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax)).OfType<AwaitExpressionSyntax>().Any());
            }
        }
        return false;
    }

    private static async Task<Document> AddUsingAsync(Document document, LocalDeclarationStatementSyntax statement, bool isAwait, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var leading = statement.GetLeadingTrivia();
        var updated = statement.WithoutLeadingTrivia()
            .WithUsingKeyword(SyntaxFactory.Token(SyntaxKind.UsingKeyword).WithTrailingTrivia(SyntaxFactory.Space));
        if (isAwait) updated = updated.WithAwaitKeyword(SyntaxFactory.Token(SyntaxKind.AwaitKeyword).WithTrailingTrivia(SyntaxFactory.Space));
        updated = updated.WithLeadingTrivia(leading);
        return document.WithSyntaxRoot(root!.ReplaceNode(statement, updated));
    }
}
