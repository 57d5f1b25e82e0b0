using System.Collections.Generic;
using System.Threading;
using Microsoft.CodeAnalysis;
using TypedPyro.Generators.Model;

namespace TypedPyro.Generators.Parsing;

/// <summary>
/// Turns an <c>[Expose]</c> interface (or an interface with <c>[Expose]</c> members) into a <see cref="ContractModel"/>.
/// Never throws on bad input: unsupported members get a skip reason (the analyzers report them).
/// </summary>
internal static class ContractParser
{
    public static ContractModel? Parse(INamedTypeSymbol contract, CancellationToken cancellationToken)
    {
        if (contract.TypeKind != TypeKind.Interface) return null;

        string interfaceName = contract.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat);
        string classPrefix = TypeName(contract.Name);
        for (var outer = contract.ContainingType; outer is not null; outer = outer.ContainingType)
        {
            interfaceName = outer.Name + "." + interfaceName;
            classPrefix = outer.Name + "_" + classPrefix;
        }

        var (isPublic, accessible) = Accessibility(contract);
        string? skip = null;
        if (contract.IsGenericType || HasGenericContainer(contract)) skip = "generic interfaces are not supported";
        else if (!accessible) skip = "the interface is not accessible from its namespace (private or protected nesting)";
        else if (contract.IsFileLocal) skip = "file-local interfaces are not supported";

        var members = new List<MemberModel>();
        if (skip is null)
        {
            bool exposeAll = Symbols.Has(contract, Symbols.ExposeAttribute);
            int policy = Symbols.NamingPolicy(contract) ?? 0;
            AddMembers(contract, exposeAll, policy, members, cancellationToken);
            foreach (var baseInterface in contract.AllInterfaces)
            {
                if (baseInterface.SpecialType == SpecialType.System_IDisposable || Symbols.Is(baseInterface, "System", "IAsyncDisposable")) continue;
                AddMembers(baseInterface, exposeAll, Symbols.NamingPolicy(baseInterface.OriginalDefinition) ?? policy, members, cancellationToken);
            }
            SkipDuplicates(members);
        }

        return new ContractModel(
            Symbols.HintName(contract),
            Symbols.Namespace(contract),
            Symbols.Display(contract),
            interfaceName,
            TypeName(contract.Name),
            classPrefix,
            isPublic,
            skip,
            EquatableArray.From(members));
    }

    /// <summary>The interface name without its leading <c>I</c> (<c>IWarehouse</c> -> <c>Warehouse</c>).</summary>
    public static string TypeName(string interfaceName)
        => interfaceName.Length > 1 && interfaceName[0] == 'I' && char.IsUpper(interfaceName[1]) ? interfaceName.Substring(1) : interfaceName;

    private static void AddMembers(INamedTypeSymbol type, bool exposeAll, int policy, List<MemberModel> members, CancellationToken cancellationToken)
    {
        bool typeExposed = exposeAll || Symbols.Has(type.OriginalDefinition, Symbols.ExposeAttribute);
        string declaringType = Symbols.Display(type);
        foreach (var member in type.GetMembers())
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (member.IsStatic || (!member.IsAbstract && !member.IsVirtual)) continue;
            // Non-public members are never remote, but abstract ones still need an implementation in the proxy.
            bool isPublic = member.DeclaredAccessibility == Microsoft.CodeAnalysis.Accessibility.Public;
            if (!isPublic && !member.IsAbstract) continue;
            bool remote = isPublic && (typeExposed || Symbols.Has(member, Symbols.ExposeAttribute));
            string display = type.Name + "." + member.Name;
            switch (member)
            {
                case IMethodSymbol { MethodKind: MethodKind.Ordinary } method:
                    members.Add(MethodParser.Parse(method, declaringType, display, remote, policy));
                    break;
                case IPropertySymbol property:
                    members.Add(PropertyParser.Parse(property, declaringType, display, remote, policy));
                    break;
                case IEventSymbol @event:
                    members.Add(new MemberModel(
                        MemberKind.Event, Symbols.Identifier(@event.Name), display, declaringType, remote, @event.Name,
                        remote ? "events are not supported" : null, Symbols.Display(@event.Type),
                        EquatableArray<ParameterModel>.Empty, EquatableArray<string>.Empty, EquatableArray<string>.Empty,
                        CallShape.Void, null, null, null, false, false, false, false, false));
                    break;
            }
        }
    }

    /// <summary>
    /// Members sharing a wire name are skipped, unless they all have one signature (a base member redeclared with
    /// <c>new</c>): then they are one remote member, served through the first.
    /// </summary>
    private static void SkipDuplicates(List<MemberModel> members)
    {
        var groups = new Dictionary<string, List<int>>(System.StringComparer.Ordinal);
        for (int i = 0; i < members.Count; i++)
        {
            if (!members[i].IsGenerated) continue;
            if (!groups.TryGetValue(members[i].WireName, out var group)) groups[members[i].WireName] = group = new List<int>();
            group.Add(i);
        }
        foreach (var group in groups.Values)
        {
            if (group.Count < 2) continue;
            var first = members[group[0]];
            bool sameSignature = true;
            foreach (int i in group)
            {
                sameSignature &= SameSignature(first, members[i]);
            }
            for (int k = 0; k < group.Count; k++)
            {
                var member = members[group[k]];
                members[group[k]] = sameSignature
                    ? member with { IsAlias = k > 0 }
                    : member with { SkipReason = "duplicate wire name '" + member.WireName + "'" };
            }
        }
    }

    private static bool SameSignature(MemberModel a, MemberModel b)
    {
        if (a.Kind != b.Kind || a.Type != b.Type || a.Parameters.Count != b.Parameters.Count || a.HasSetter != b.HasSetter) return false;
        for (int i = 0; i < a.Parameters.Count; i++)
        {
            if (a.Parameters[i] != b.Parameters[i]) return false;
        }
        return true;
    }

    private static (bool IsPublic, bool Accessible) Accessibility(INamedTypeSymbol type)
    {
        bool isPublic = true;
        for (INamedTypeSymbol? t = type; t is not null; t = t.ContainingType)
        {
            switch (t.DeclaredAccessibility)
            {
                case Microsoft.CodeAnalysis.Accessibility.Public:
                    break;
                case Microsoft.CodeAnalysis.Accessibility.Internal:
                case Microsoft.CodeAnalysis.Accessibility.ProtectedOrInternal:
                    isPublic = false;
                    break;
                default:
                    return (false, false);
            }
        }
        return (isPublic, true);
    }

    private static bool HasGenericContainer(INamedTypeSymbol type)
    {
        for (var outer = type.ContainingType; outer is not null; outer = outer.ContainingType)
        {
            if (outer.IsGenericType) return true;
        }
        return false;
    }
}
