using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Text;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace TypedPyro.Analyzers;

/// <summary>
/// What the analyzers know about TypedPyro's names. Types are matched by namespace and metadata name (not by
/// assembly), so contracts compile against the runtime or against copies of the attributes alike.
/// </summary>
internal static class PyroModel
{
    public const string ExposeAttribute = "ExposeAttribute";
    public const string OnewayAttribute = "OnewayAttribute";
    public const string PyroNameAttribute = "PyroNameAttribute";
    public const string PyroNamingAttribute = "PyroNamingAttribute";
    public const string PyroDtoAttribute = "PyroDtoAttribute";

    /// <summary>True when <paramref name="type"/> is <c>TypedPyro.{name}</c> (or in a sub-namespace given as "TypedPyro.X").</summary>
    public static bool Is(ITypeSymbol? type, string @namespace, string name)
        => type is INamedTypeSymbol named && named.Name == name && named.ContainingType is null && IsNamespace(named.ContainingNamespace, @namespace);

    public static bool IsPyro(ITypeSymbol? type, string name) => Is(type, "TypedPyro", name);

    public static bool IsNamespace(INamespaceSymbol? ns, string dotted)
    {
        int end = dotted.Length;
        while (true)
        {
            if (ns is null || ns.IsGlobalNamespace) return end <= 0;
            int dot = dotted.LastIndexOf('.', end - 1);
            int start = dot + 1;
            if (end - start != ns.Name.Length || string.CompareOrdinal(dotted, start, ns.Name, 0, ns.Name.Length) != 0) return false;
            ns = ns.ContainingNamespace;
            end = dot;
            if (end < 0) return ns is null || ns.IsGlobalNamespace;
        }
    }

    public static AttributeData? FindAttribute(ISymbol symbol, string name)
    {
        foreach (var attribute in symbol.GetAttributes())
        {
            if (IsPyro(attribute.AttributeClass, name)) return attribute;
        }
        return null;
    }

    public static bool HasAttribute(ISymbol symbol, string name) => FindAttribute(symbol, name) is not null;

    /// <summary>A type-level [Expose] interface.</summary>
    public static bool IsExposedInterface(ITypeSymbol? type)
        => type is INamedTypeSymbol { TypeKind: TypeKind.Interface } named && HasAttribute(named, ExposeAttribute);

    /// <summary>
    /// A remote contract: an [Expose] interface, or an interface with single [Expose] members (its own or inherited).
    /// </summary>
    public static bool IsContract(ITypeSymbol? type)
    {
        if (type is not INamedTypeSymbol { TypeKind: TypeKind.Interface } named) return false;
        if (HasOwnRemote(named)) return true;
        foreach (var inherited in named.AllInterfaces)
        {
            if (HasOwnRemote(inherited)) return true;
        }
        return false;

        static bool HasOwnRemote(INamedTypeSymbol i)
        {
            if (HasAttribute(i, ExposeAttribute)) return true;
            foreach (var member in i.GetMembers())
            {
                if (member is IMethodSymbol or IPropertySymbol && HasAttribute(member, ExposeAttribute)) return true;
            }
            return false;
        }
    }

    /// <summary>Instance methods and properties an interface declares that can be remote at all.</summary>
    public static bool IsCandidateMember(ISymbol member)
        => !member.IsStatic && member switch
        {
            IMethodSymbol m => m.MethodKind == MethodKind.Ordinary,
            IPropertySymbol p => !p.IsIndexer,
            _ => false,
        };

    /// <summary>
    /// True when <paramref name="member"/>, declared in <paramref name="declaring"/>, is remote in a contract whose
    /// type-level exposure is <paramref name="contractExposed"/> (every member of an [Expose] interface and of the
    /// interfaces it extends is remote; otherwise members marked [Expose] and those of [Expose] base interfaces).
    /// </summary>
    public static bool IsRemoteMember(ISymbol member, INamedTypeSymbol declaring, bool contractExposed)
        => IsCandidateMember(member) && (contractExposed || HasAttribute(declaring, ExposeAttribute) || HasAttribute(member, ExposeAttribute));

    /// <summary>Every remote member of a contract, its own first, then inherited ones.</summary>
    public static List<ISymbol> RemoteMembers(INamedTypeSymbol contract)
    {
        bool exposed = HasAttribute(contract, ExposeAttribute);
        var result = new List<ISymbol>();
        foreach (var member in contract.GetMembers())
        {
            if (IsRemoteMember(member, contract, exposed)) result.Add(member);
        }
        foreach (var inherited in contract.AllInterfaces)
        {
            foreach (var member in inherited.GetMembers())
            {
                if (IsRemoteMember(member, inherited, exposed)) result.Add(member);
            }
        }
        return result;
    }

    public static bool IsAwaitable(ITypeSymbol type)
        => type is INamedTypeSymbol { Name: "Task" or "ValueTask" } named && IsNamespace(named.ContainingNamespace, "System.Threading.Tasks");

    /// <summary>void, Task or ValueTask: the results a oneway method may have.</summary>
    public static bool IsNoResult(ITypeSymbol type)
        => type.SpecialType == SpecialType.System_Void || (IsAwaitable(type) && ((INamedTypeSymbol)type).Arity == 0);

    public static bool IsCancellationToken(ITypeSymbol? type) => Is(type, "System.Threading", "CancellationToken");

    public static int NamingPolicy(INamedTypeSymbol contract)
    {
        var naming = FindAttribute(contract, PyroNamingAttribute);
        if (naming is { ConstructorArguments.Length: 1 } && naming.ConstructorArguments[0].Value is int policy) return policy;
        return 0;
    }

    /// <summary>
    /// The wire name of a remote member: its [PyroName], else its C# name (without the Async suffix of awaitable
    /// methods) under the naming policy of the interface that declares it, or of <paramref name="contract"/> when the
    /// declaring interface has none.
    /// </summary>
    public static string WireName(ISymbol member, INamedTypeSymbol contract)
    {
        var rename = FindAttribute(member, PyroNameAttribute);
        if (rename is { ConstructorArguments.Length: 1 } && rename.ConstructorArguments[0].Value is string explicitName) return explicitName;
        string name = member.Name;
        if (member is IMethodSymbol method && IsAwaitable(method.ReturnType) && name.Length > 5 && name.EndsWith("Async", StringComparison.Ordinal))
            name = name.Substring(0, name.Length - 5);
        var declaring = member.ContainingType;
        int policy = declaring is not null && FindAttribute(declaring, PyroNamingAttribute) is not null ? NamingPolicy(declaring) : NamingPolicy(contract);
        return policy == 1 ? SnakeCase(name) : name;
    }

    /// <summary>
    /// The contract's snake_case rule: an underscore before an upper-case letter that follows a lower-case letter or
    /// digit, or that is followed by a lower-case letter after another upper-case letter; then lower-case.
    /// </summary>
    public static string SnakeCase(string name)
    {
        var builder = new StringBuilder(name.Length + 4);
        for (int i = 0; i < name.Length; i++)
        {
            char c = name[i];
            if (i > 0 && char.IsUpper(c))
            {
                char previous = name[i - 1];
                if (char.IsLower(previous) || char.IsDigit(previous) || (char.IsUpper(previous) && i + 1 < name.Length && char.IsLower(name[i + 1])))
                    builder.Append('_');
            }
            builder.Append(char.ToLowerInvariant(c));
        }
        return builder.ToString();
    }

    /// <summary>Pyro's rule (shared with the runtime and the generator): a leading underscore, except public dunder names.</summary>
    public static bool IsPrivateName(string name) => Shared.PyroPrivateNames.IsPrivate(name);

    // ---- locations ----

    public static Location AttributeLocation(AttributeData attribute, ISymbol fallback, CancellationToken cancellationToken)
        => attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken).GetLocation() ?? NameLocation(fallback);

    public static Location NameLocation(ISymbol symbol)
        => symbol.Locations.Length > 0 ? symbol.Locations[0] : Location.None;

    public static Location ReturnTypeLocation(IMethodSymbol method, CancellationToken cancellationToken)
    {
        foreach (var reference in method.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax(cancellationToken) is MethodDeclarationSyntax declaration) return declaration.ReturnType.GetLocation();
        }
        return NameLocation(method);
    }

    public static Location PropertyTypeLocation(IPropertySymbol property, CancellationToken cancellationToken)
    {
        foreach (var reference in property.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax(cancellationToken) is BasePropertyDeclarationSyntax declaration) return declaration.Type.GetLocation();
        }
        return NameLocation(property);
    }

    public static Location ParameterTypeLocation(IParameterSymbol parameter, CancellationToken cancellationToken)
    {
        foreach (var reference in parameter.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax(cancellationToken) is ParameterSyntax { Type: { } type }) return type.GetLocation();
        }
        return NameLocation(parameter);
    }
}
