using Microsoft.CodeAnalysis;

namespace TypedPyro.Generators.Parsing;

/// <summary>
/// Describes a contract type as the Python peer sees it on the wire (<c>int</c>, <c>str | None</c>,
/// <c>list[float]</c>, <c>dict[str, int]</c>), for the exposure manifest: the Python type received first, what it
/// stands for in parentheses (<c>str (datetime)</c>: serpent sends datetimes as ISO strings; see docs/type-mapping.md).
/// A description, never used to convert.
/// </summary>
internal static class WireTypes
{
    /// <summary>The wire type of <paramref name="type"/>; <c>None</c> for no value (<c>void</c>).</summary>
    public static string Of(ITypeSymbol? type) => type is null ? "None" : Of(type, 0);

    private static string Of(ITypeSymbol type, int depth)
    {
        if (depth > 8) return "object";
        if (type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable)
            return Of(nullable.TypeArguments[0], depth + 1) + " | None";
        string core = Core(type, depth);
        bool annotated = type.IsReferenceType && type.NullableAnnotation == NullableAnnotation.Annotated && core != "object";
        return annotated ? core + " | None" : core;
    }

    private static string Core(ITypeSymbol type, int depth)
    {
        switch (type.SpecialType)
        {
            case SpecialType.System_Object: return "object";
            case SpecialType.System_String:
            case SpecialType.System_Char: return "str";
            case SpecialType.System_Boolean: return "bool";
            case SpecialType.System_Byte:
            case SpecialType.System_SByte:
            case SpecialType.System_Int16:
            case SpecialType.System_UInt16:
            case SpecialType.System_Int32:
            case SpecialType.System_UInt32:
            case SpecialType.System_Int64:
            case SpecialType.System_UInt64: return "int";
            case SpecialType.System_Single:
            case SpecialType.System_Double: return "float";
            case SpecialType.System_Decimal: return "str (decimal)";
            case SpecialType.System_DateTime: return "str (datetime)";
        }
        if (type.TypeKind == TypeKind.Enum) return "int (enum " + type.Name + ")";
        if (type is IArrayTypeSymbol array)
            return array.ElementType.SpecialType == SpecialType.System_Byte ? "bytes" : "list[" + Of(array.ElementType, depth + 1) + "]";
        if (type is not INamedTypeSymbol named) return "object";
        if (Symbols.Is(named, "System", "Guid")) return "str (uuid)";
        if (Symbols.Is(named, "System", "DateTimeOffset")) return "str (datetime)";
        if (Symbols.Is(named, "System", "DateOnly")) return "str (date)";
        if (Symbols.Is(named, "System", "TimeOnly")) return "str (time)";
        if (Symbols.Is(named, "System", "TimeSpan")) return "float (timedelta seconds)";
        if (Symbols.Is(named, "System.Numerics", "BigInteger")) return "int";
        if (Symbols.Is(named, "System.Numerics", "Complex")) return "complex";
        if ((Symbols.Is(named, "System", "ReadOnlyMemory", 1) || Symbols.Is(named, "System", "Memory", 1))
            && named.TypeArguments[0].SpecialType == SpecialType.System_Byte) return "bytes";
        if (Symbols.Is(named, "TypedPyro", "PyroUri")) return "PyroURI";
        if (Symbols.Is(named, "TypedPyro.Serialization", "PyTuple")) return "tuple";
        if (Symbols.Attribute(named, Symbols.PyroDtoAttribute) is { ConstructorArguments.Length: 1 } dto && dto.ConstructorArguments[0].Value is string className)
            return "dict (class " + className + ")";
        if (named.TypeKind == TypeKind.Interface && !named.IsGenericType && (Symbols.Has(named, Symbols.ExposeAttribute) || HasExposedMember(named)))
            return "proxy (" + named.ToDisplayString() + ")";
        if (named.Arity == 1 && Symbols.IsNamespace(named.ContainingNamespace, "System.Collections.Generic") && named.ContainingType is null)
        {
            string element = Of(named.TypeArguments[0], depth + 1);
            return named.Name is "HashSet" or "ISet" or "IReadOnlySet" ? "set[" + element + "]"
                : named.Name is "IEnumerable" or "IAsyncEnumerable" ? "iterator[" + element + "]"
                : "list[" + element + "]";
        }
        if (named.Arity == 2 && Symbols.IsNamespace(named.ContainingNamespace, "System.Collections.Generic") && named.ContainingType is null)
            return "dict[" + Of(named.TypeArguments[0], depth + 1) + ", " + Of(named.TypeArguments[1], depth + 1) + "]";
        if (Symbols.IsNamespace(named.ContainingNamespace, "System.Collections") && named.Name is "IDictionary" or "Hashtable") return "dict";
        return "object";
    }

    private static bool HasExposedMember(INamedTypeSymbol type)
    {
        foreach (var member in type.GetMembers())
        {
            if (member is IMethodSymbol or IPropertySymbol && Symbols.Has(member, Symbols.ExposeAttribute)) return true;
        }
        return false;
    }
}
