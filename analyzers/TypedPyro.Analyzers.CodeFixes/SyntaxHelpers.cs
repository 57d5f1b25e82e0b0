using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Simplification;

namespace TypedPyro.Analyzers.CodeFixes;

internal static class SyntaxHelpers
{
    /// <summary><c>[global::TypedPyro.{name}]</c>, simplified to <c>[{name}]</c> where <c>using TypedPyro;</c> is in scope.</summary>
    public static AttributeListSyntax PyroAttributeList(string name)
        => SyntaxFactory.AttributeList(SyntaxFactory.SingletonSeparatedList(
                SyntaxFactory.Attribute(SyntaxFactory.ParseName("global::TypedPyro." + name).WithAdditionalAnnotations(Simplifier.Annotation))))
            .WithAdditionalAnnotations(Formatter.Annotation);

    /// <summary>The document's line break (the first one found), or a line feed.</summary>
    public static SyntaxTrivia EndOfLine(SyntaxNode root)
    {
        foreach (var trivia in root.DescendantTrivia())
        {
            if (trivia.IsKind(SyntaxKind.EndOfLineTrivia)) return trivia;
        }
        return SyntaxFactory.LineFeed;
    }

    /// <summary>Marks every qualified name in <paramref name="node"/> for simplification (global::X.Y -> Y where a using allows).</summary>
    public static TNode SimplifyNames<TNode>(TNode node) where TNode : SyntaxNode
        => node.ReplaceNodes(
            node.DescendantNodesAndSelf().Where(n => n is QualifiedNameSyntax or AliasQualifiedNameSyntax or MemberAccessExpressionSyntax),
            (_, rewritten) => rewritten.WithAdditionalAnnotations(Simplifier.Annotation));

    /// <summary>Puts an attribute list first on a declaration, keeping its leading trivia (indentation, doc comments) in front.</summary>
    public static TNode AddAttributeListFirst<TNode>(TNode declaration, AttributeListSyntax list, SyntaxTrivia endOfLine) where TNode : MemberDeclarationSyntax
    {
        var leading = declaration.GetLeadingTrivia();
        var indentation = leading.Count > 0 && leading[leading.Count - 1].IsKind(SyntaxKind.WhitespaceTrivia)
            ? SyntaxFactory.TriviaList(leading[leading.Count - 1])
            : SyntaxFactory.TriviaList();
        var stripped = declaration.WithoutLeadingTrivia();
        var newList = list.WithLeadingTrivia(leading).WithTrailingTrivia(endOfLine);
        var withList = (TNode)stripped.WithAttributeLists(stripped.AttributeLists.Insert(0, newList));
        // The token after the new list starts a new line with the declaration's indentation.
        var next = withList.AttributeLists.Count > 1 ? withList.AttributeLists[1].GetFirstToken() : withList.AttributeLists[0].GetLastToken().GetNextToken();
        return withList.ReplaceToken(next, next.WithLeadingTrivia(indentation));
    }

    /// <summary>Removes one attribute, and its list when it was alone there, keeping the declaration's leading trivia.</summary>
    public static TNode RemoveAttribute<TNode>(TNode declaration, AttributeSyntax attribute) where TNode : MemberDeclarationSyntax
    {
        if (attribute.Parent is not AttributeListSyntax list) return declaration;
        if (list.Attributes.Count > 1)
            return declaration.ReplaceNode(list, list.WithAttributes(list.Attributes.Remove(attribute)));

        int index = declaration.AttributeLists.IndexOf(list);
        if (index < 0) return declaration;
        var lists = declaration.AttributeLists.RemoveAt(index);
        var result = (TNode)declaration.WithAttributeLists(lists);
        if (index == 0)
        {
            // The next token inherits the removed list's leading trivia (indentation, doc comments).
            var first = result.GetFirstToken();
            result = result.ReplaceToken(first, first.WithLeadingTrivia(list.GetLeadingTrivia()));
        }
        return result;
    }
}
