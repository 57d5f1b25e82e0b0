using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace TypedPyro.Generators.Parsing;

/// <summary>Which <c>[PyroDto]</c> types the generator can complete (and so which ones contracts may use).</summary>
internal static class DtoRules
{
    /// <summary>True when <paramref name="type"/> is a <c>[PyroDto]</c> type with a generated (or compiled) <c>FromWireValue</c>.</summary>
    public static bool HasReader(INamedTypeSymbol type)
    {
        if (!Symbols.Has(type.OriginalDefinition, Symbols.PyroDtoAttribute)) return false;
        if (type.DeclaringSyntaxReferences.IsEmpty)
        {
            // From a referenced assembly: generated there.
            foreach (var member in type.GetMembers("FromWireValue"))
            {
                if (member is IMethodSymbol { IsStatic: true, DeclaredAccessibility: Accessibility.Public, Parameters.Length: 1 }) return true;
            }
            return false;
        }
        return SkipReason(type) is null;
    }

    /// <summary>Why the generator cannot complete a <c>[PyroDto]</c> type declared in source, or null.</summary>
    public static string? SkipReason(INamedTypeSymbol type)
    {
        if (type.TypeKind is not (TypeKind.Class or TypeKind.Struct)) return "[PyroDto] applies to classes, records and structs";
        if (type.ContainingType is not null) return "nested [PyroDto] types are not supported";
        if (type.IsGenericType) return "generic [PyroDto] types are not supported";
        if (type.IsStatic) return "a static class cannot be a [PyroDto]";
        if (type.IsRefLikeType) return "a ref struct cannot be a [PyroDto]";
        if (type.IsFileLocal) return "a file-local type cannot be a [PyroDto]";
        foreach (var reference in type.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax() is TypeDeclarationSyntax declaration && !declaration.Modifiers.Any(SyntaxKind.PartialKeyword))
                return "a [PyroDto] type must be declared partial";
        }
        return null;
    }
}
