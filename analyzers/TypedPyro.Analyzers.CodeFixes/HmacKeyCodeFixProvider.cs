using System.Collections.Immutable;
using System.Composition;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Simplification;

namespace TypedPyro.Analyzers.CodeFixes;

/// <summary>TPY5003: reads the HMAC key from the PYRO_HMAC_KEY environment variable instead of a literal.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(HmacKeyCodeFixProvider)), Shared]
public sealed class HmacKeyCodeFixProvider : CodeFixProvider
{
    public const string Replacement =
        "global::System.Text.Encoding.UTF8.GetBytes(global::System.Environment.GetEnvironmentVariable(\"PYRO_HMAC_KEY\") ?? throw new global::System.InvalidOperationException(\"PYRO_HMAC_KEY is not set\"))";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(Descriptors.HardCodedHmacKey.Id);

    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var diagnostic = context.Diagnostics[0];
        if (!diagnostic.Properties.ContainsKey(HmacKeyAnalyzer.ReplaceableProperty)) return;
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        var model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        var node = root?.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
        if (node is ArgumentSyntax argument) node = argument.Expression;
        if (node is not ExpressionSyntax expression || model is null) return;
        var type = model.GetTypeInfo(expression, context.CancellationToken).ConvertedType;
        if (type is not IArrayTypeSymbol { ElementType.SpecialType: SpecialType.System_Byte }) return;
        context.RegisterCodeFix(CodeAction.Create(
            "Read the key from PYRO_HMAC_KEY",
            ct => ReplaceAsync(context.Document, expression, ct),
            "TPY5003.Environment"), diagnostic);
    }

    private static async Task<Document> ReplaceAsync(Document document, ExpressionSyntax expression, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var replacement = SyntaxHelpers.SimplifyNames(SyntaxFactory.ParseExpression(Replacement))
            .WithTriviaFrom(expression)
            .WithAdditionalAnnotations(Simplifier.Annotation, Formatter.Annotation);
        return document.WithSyntaxRoot(root!.ReplaceNode(expression, replacement));
    }
}
