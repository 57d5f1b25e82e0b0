using System.Collections.Generic;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace TypedPyro.Generators.Parsing;

/// <summary>Symbol look-ups shared by the parsers: well-known types by name, attributes, display strings.</summary>
internal static class Symbols
{
    public const string ExposeAttribute = "TypedPyro.ExposeAttribute";
    public const string OnewayAttribute = "TypedPyro.OnewayAttribute";
    public const string PyroNameAttribute = "TypedPyro.PyroNameAttribute";
    public const string PyroNamingAttribute = "TypedPyro.PyroNamingAttribute";
    public const string PyroDtoAttribute = "TypedPyro.PyroDtoAttribute";

    /// <summary>Fully qualified, <c>global::</c>-prefixed, keywords escaped, nullable reference annotations kept.</summary>
    public static readonly SymbolDisplayFormat TypeFormat = SymbolDisplayFormat.FullyQualifiedFormat
        .AddMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

    /// <summary>The type as C# source, fully qualified.</summary>
    public static string Display(ITypeSymbol type) => type.ToDisplayString(TypeFormat);

    /// <summary>The type as C# source without a top-level <c>?</c> on a reference type (for <c>T.Member</c>).</summary>
    public static string DisplayNotAnnotated(ITypeSymbol type)
        => type.WithNullableAnnotation(NullableAnnotation.NotAnnotated).ToDisplayString(TypeFormat);

    /// <summary>A name usable as an identifier (<c>@class</c> for the keyword <c>class</c>).</summary>
    public static string Identifier(string name)
        => SyntaxFacts.GetKeywordKind(name) != Microsoft.CodeAnalysis.CSharp.SyntaxKind.None ? "@" + name : name;

    /// <summary><c>unsafe </c> when a signature with these types needs an unsafe context (pointers), else empty.</summary>
    public static string UnsafePrefix(ITypeSymbol? returnType, IEnumerable<IParameterSymbol> parameters)
    {
        if (IsUnsafe(returnType)) return "unsafe ";
        foreach (var p in parameters)
        {
            if (IsUnsafe(p.Type)) return "unsafe ";
        }
        return "";
    }

    private static bool IsUnsafe(ITypeSymbol? type) => type switch
    {
        IPointerTypeSymbol or IFunctionPointerTypeSymbol => true,
        IArrayTypeSymbol array => IsUnsafe(array.ElementType),
        INamedTypeSymbol named => named.TypeArguments.Any(IsUnsafe),
        _ => false,
    };

    /// <summary>True when <paramref name="type"/>'s original definition is <c>ns.name</c> with <paramref name="arity"/> type parameters.</summary>
    public static bool Is(ITypeSymbol? type, string ns, string name, int arity = 0)
    {
        if (type is not INamedTypeSymbol named || named.Name != name || named.Arity != arity) return false;
        if (named.ContainingType is not null) return false;
        return IsNamespace(named.ContainingNamespace, ns);
    }

    /// <summary>True when <paramref name="symbol"/> is the namespace <paramref name="dotted"/>.</summary>
    public static bool IsNamespace(INamespaceSymbol? symbol, string dotted)
    {
        int end = dotted.Length;
        while (true)
        {
            if (symbol is null) return false;
            int start = dotted.LastIndexOf('.', end - 1) + 1;
            string part = dotted.Substring(start, end - start);
            if (symbol.Name != part) return false;
            symbol = symbol.ContainingNamespace;
            if (start == 0) return symbol is { IsGlobalNamespace: true };
            end = start - 1;
        }
    }

    /// <summary>The attribute of class <paramref name="metadataName"/> on <paramref name="symbol"/>, or null.</summary>
    public static AttributeData? Attribute(ISymbol symbol, string metadataName)
    {
        foreach (var attribute in symbol.GetAttributes())
        {
            if (attribute.AttributeClass is { } cls && IsFullName(cls, metadataName)) return attribute;
        }
        return null;
    }

    /// <summary>True when <paramref name="symbol"/> carries the attribute <paramref name="metadataName"/>.</summary>
    public static bool Has(ISymbol symbol, string metadataName) => Attribute(symbol, metadataName) is not null;

    /// <summary>The string argument of <c>[PyroName("...")]</c>, or null.</summary>
    public static string? PyroName(ISymbol symbol)
        => Attribute(symbol, PyroNameAttribute) is { ConstructorArguments.Length: 1 } a && a.ConstructorArguments[0].Value is string s ? s : null;

    /// <summary>The policy of <c>[PyroNaming(...)]</c> on an interface, or null.</summary>
    public static int? NamingPolicy(ISymbol symbol)
        => Attribute(symbol, PyroNamingAttribute) is { ConstructorArguments.Length: 1 } a && a.ConstructorArguments[0].Value is int p ? p : null;

    private static bool IsFullName(INamedTypeSymbol type, string metadataName)
    {
        int dot = metadataName.LastIndexOf('.');
        return type.ContainingType is null
            && type.Name == metadataName.Substring(dot + 1)
            && IsNamespace(type.ContainingNamespace, metadataName.Substring(0, dot));
    }

    /// <summary>The type's metadata name made safe for a hint name (<c>Example.Outer+IInner</c> -> <c>Example.Outer.IInner</c>).</summary>
    public static string HintName(INamedTypeSymbol type)
    {
        var parts = new List<string>();
        for (ISymbol? s = type; s is not null and not INamespaceSymbol { IsGlobalNamespace: true }; s = s.ContainingSymbol)
        {
            parts.Add(s.MetadataName);
        }
        parts.Reverse();
        var hint = new StringBuilder();
        foreach (char c in string.Join(".", parts))
        {
            hint.Append(char.IsLetterOrDigit(c) || c is '.' or '_' or '-' ? c : '_');
        }
        return hint.ToString();
    }

    /// <summary>The type's namespace as written in a namespace declaration, or null for the global namespace.</summary>
    public static string? Namespace(INamedTypeSymbol type)
        => type.ContainingNamespace is { IsGlobalNamespace: false } ns ? ns.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat.WithGlobalNamespaceStyle(SymbolDisplayGlobalNamespaceStyle.Omitted)) : null;
}
