using System.Collections.Generic;
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
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Simplification;

namespace TypedPyro.Analyzers.CodeFixes;

/// <summary>
/// TPY1001: expose an interface instead of the class. Offers, as they apply: remove [Expose] from the class when it
/// already implements an [Expose] interface; move [Expose] to each interface (declared in source) the class
/// implements; or extract an interface of the class's public members, mark it [Expose] and implement it.
/// It never spreads [Expose] over the class's methods.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(ExposeInterfaceCodeFixProvider)), Shared]
public sealed class ExposeInterfaceCodeFixProvider : CodeFixProvider
{
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(Descriptors.ClassExposed.Id);

    public override FixAllProvider? GetFixAllProvider() => null;

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        var model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null || model is null) return;
        var diagnostic = context.Diagnostics[0];
        var attribute = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true).FirstAncestorOrSelf<AttributeSyntax>();
        if (attribute?.Parent?.Parent is not TypeDeclarationSyntax classDeclaration) return;
        if (model.GetDeclaredSymbol(classDeclaration, context.CancellationToken) is not INamedTypeSymbol type) return;

        var exposed = type.AllInterfaces.FirstOrDefault(PyroModel.IsExposedInterface);
        if (exposed is not null)
        {
            context.RegisterCodeFix(CodeAction.Create(
                $"Remove [Expose] from '{type.Name}' (it is exposed through '{exposed.Name}')",
                ct => RemoveFromClassAsync(context.Document, classDeclaration, attribute, ct),
                "TPY1001.Remove"), diagnostic);
            return;
        }

        bool any = false;
        foreach (var candidate in type.Interfaces)
        {
            var reference = candidate.DeclaringSyntaxReferences.FirstOrDefault();
            if (reference is null || context.Document.Project.Solution.GetDocument(reference.SyntaxTree) is null) continue;
            any = true;
            context.RegisterCodeFix(CodeAction.Create(
                $"Move [Expose] to interface '{candidate.Name}'",
                ct => MoveToInterfaceAsync(context.Document, classDeclaration, attribute, reference, ct),
                "TPY1001.Move." + candidate.Name), diagnostic);
        }
        if (any) return;

        string name = "I" + type.Name;
        if (type.ContainingNamespace.GetTypeMembers(name).Length > 0 || (type.ContainingType?.GetTypeMembers(name).Length ?? 0) > 0) return;
        context.RegisterCodeFix(CodeAction.Create(
            $"Extract interface '{name}' and expose it",
            ct => ExtractInterfaceAsync(context.Document, classDeclaration, attribute, type, name, ct),
            "TPY1001.Extract"), diagnostic);
    }

    private static async Task<Document> RemoveFromClassAsync(Document document, TypeDeclarationSyntax classDeclaration, AttributeSyntax attribute, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        return document.WithSyntaxRoot(root!.ReplaceNode(classDeclaration, SyntaxHelpers.RemoveAttribute(classDeclaration, attribute)));
    }

    private static async Task<Solution> MoveToInterfaceAsync(Document document, TypeDeclarationSyntax classDeclaration, AttributeSyntax attribute, SyntaxReference target, CancellationToken cancellationToken)
    {
        var solution = document.Project.Solution;
        var targetDocument = solution.GetDocument(target.SyntaxTree)!;
        var interfaceDeclaration = (TypeDeclarationSyntax)await target.GetSyntaxAsync(cancellationToken).ConfigureAwait(false);
        var targetTreeRoot = await target.SyntaxTree.GetRootAsync(cancellationToken).ConfigureAwait(false);
        var exposedInterface = SyntaxHelpers.AddAttributeListFirst(interfaceDeclaration, SyntaxHelpers.PyroAttributeList("Expose"), SyntaxHelpers.EndOfLine(targetTreeRoot));
        var fixedClass = SyntaxHelpers.RemoveAttribute(classDeclaration, attribute);

        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        if (targetDocument.Id == document.Id)
        {
            var newRoot = root!.ReplaceNodes(new SyntaxNode[] { classDeclaration, interfaceDeclaration }, (original, _) => original == classDeclaration ? fixedClass : exposedInterface);
            return solution.WithDocumentSyntaxRoot(document.Id, newRoot);
        }
        var targetRoot = await targetDocument.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        return solution
            .WithDocumentSyntaxRoot(document.Id, root!.ReplaceNode(classDeclaration, fixedClass))
            .WithDocumentSyntaxRoot(targetDocument.Id, targetRoot!.ReplaceNode(interfaceDeclaration, exposedInterface));
    }

    private static async Task<Document> ExtractInterfaceAsync(Document document, TypeDeclarationSyntax classDeclaration, AttributeSyntax attribute, INamedTypeSymbol type, string name, CancellationToken cancellationToken)
    {
        var editor = await DocumentEditor.CreateAsync(document, cancellationToken).ConfigureAwait(false);
        var generator = editor.Generator;
        var members = new List<SyntaxNode>();
        foreach (var member in type.GetMembers())
        {
            if (member.IsStatic || member.DeclaredAccessibility != Accessibility.Public || member.IsImplicitlyDeclared) continue;
            if (member is IMethodSymbol { MethodKind: MethodKind.Ordinary } or IPropertySymbol { IsIndexer: false })
                members.Add(generator.Declaration(member));
        }
        var accessibility = type.DeclaredAccessibility == Accessibility.Public ? Accessibility.Public : Accessibility.Internal;
        var extracted = (InterfaceDeclarationSyntax)generator.InterfaceDeclaration(name, accessibility: accessibility, members: members);
        extracted = extracted.WithAttributeLists(SyntaxFactory.SingletonList(SyntaxHelpers.PyroAttributeList("Expose")))
            .WithAdditionalAnnotations(Formatter.Annotation, Simplifier.Annotation);

        var fixedClass = SyntaxHelpers.RemoveAttribute(classDeclaration, attribute);
        var baseType = SyntaxFactory.SimpleBaseType(SyntaxFactory.IdentifierName(name));
        fixedClass = fixedClass.BaseList is null
            ? fixedClass.WithIdentifier(fixedClass.Identifier.WithTrailingTrivia())
                .WithBaseList(SyntaxFactory.BaseList(SyntaxFactory.SingletonSeparatedList<BaseTypeSyntax>(baseType)).WithTrailingTrivia(fixedClass.Identifier.TrailingTrivia).WithAdditionalAnnotations(Formatter.Annotation))
            : fixedClass.WithBaseList(fixedClass.BaseList.AddTypes(baseType));
        if (fixedClass.ParameterList is not null && classDeclaration.BaseList is null)
        {
            // class C(int x) : IC — the base list goes after the primary constructor's parameters.
            fixedClass = fixedClass.WithIdentifier(classDeclaration.Identifier)
                .WithParameterList(fixedClass.ParameterList.WithTrailingTrivia(SyntaxFactory.Space));
        }

        var endOfLine = SyntaxHelpers.EndOfLine(editor.OriginalRoot);
        editor.InsertBefore(classDeclaration, extracted.WithLeadingTrivia(classDeclaration.GetLeadingTrivia()).WithTrailingTrivia(endOfLine, endOfLine));
        editor.ReplaceNode(classDeclaration, fixedClass);
        return editor.GetChangedDocument();
    }
}
