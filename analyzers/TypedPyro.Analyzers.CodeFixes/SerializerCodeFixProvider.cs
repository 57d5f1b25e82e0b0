using System.Collections.Immutable;
using System.Composition;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Simplification;

namespace TypedPyro.Analyzers.CodeFixes;

/// <summary>TPY5001/TPY5002: switches to serpent (Pyro4's default): the enum member, the numeric cast or the name literal.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(SerializerCodeFixProvider)), Shared]
public sealed class SerializerCodeFixProvider : CodeFixProvider
{
    public override ImmutableArray<string> FixableDiagnosticIds { get; } =
        ImmutableArray.Create(Descriptors.InsecureSerializer.Id, Descriptors.MarshalSerializer.Id);

    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null) return;
        var diagnostic = context.Diagnostics[0];
        var node = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
        if (node is ArgumentSyntax argument) node = argument.Expression;
        SyntaxNode? replacement = node switch
        {
            LiteralExpressionSyntax literal when literal.IsKind(SyntaxKind.StringLiteralExpression)
                => SyntaxFactory.LiteralExpression(SyntaxKind.StringLiteralExpression, SyntaxFactory.Literal("serpent")),
            MemberAccessExpressionSyntax access
                => access.WithName(SyntaxFactory.IdentifierName("Serpent")),
            CastExpressionSyntax
                => SyntaxFactory.ParseExpression("global::TypedPyro.Serialization.SerializerId.Serpent").WithAdditionalAnnotations(Simplifier.Annotation),
            _ => null,
        };
        if (replacement is null) return;
        context.RegisterCodeFix(CodeAction.Create(
            "Use the serpent serializer",
            ct => Task.FromResult(context.Document.WithSyntaxRoot(root.ReplaceNode(node, replacement.WithTriviaFrom(node)))),
            "TPY5001.Serpent"), diagnostic);
    }
}
