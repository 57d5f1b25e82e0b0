using Microsoft.CodeAnalysis;

namespace TypedPyro.Generators.Parsing;

/// <summary>
/// Maps a declared type to the <c>TypedPyro.PyroConvert</c> calls that turn an object-model value into it. Values
/// going out need no conversion (the serializers accept .NET values and <c>IPyroWireValue</c>s).
/// </summary>
internal static class TypeConverters
{
    private const string Convert = "global::TypedPyro.PyroConvert.";

    /// <summary>A static lambda <c>static v => ...</c> converting to <paramref name="type"/>, or null when unsupported.</summary>
    public static string? Lambda(ITypeSymbol type) => Lambda(type, 0);

    /// <summary>An expression converting <paramref name="input"/> to <paramref name="type"/>, or null when unsupported.</summary>
    public static string? Expression(ITypeSymbol type, string input) => Expression(type, input, 0);

    /// <summary>
    /// True for collection types of value-type items that need not implement the non-generic <c>ICollection</c>
    /// (<c>HashSet&lt;int&gt;</c>, or anything behind <c>IReadOnlyCollection&lt;int&gt;</c>): the daemon would stream such
    /// a result as a remote iterator, so dispatchers send it wrapped.
    /// </summary>
    public static bool MayLookLikeIterator(ITypeSymbol? type)
        => type is INamedTypeSymbol { Arity: 1, ContainingType: null } named
            && Symbols.IsNamespace(named.ContainingNamespace, "System.Collections.Generic")
            && named.Name is "HashSet" or "ISet" or "IReadOnlySet" or "ICollection" or "IReadOnlyCollection" or "IList" or "IReadOnlyList" or "IEnumerable"
            && named.TypeArguments[0].IsValueType;

    private static string? Lambda(ITypeSymbol type, int depth)
    {
        string parameter = depth == 0 ? "v" : "v" + depth;
        string? body = Expression(type, parameter, depth + 1);
        return body is null ? null : "static " + parameter + " => " + body;
    }

    private static string? Expression(ITypeSymbol type, string input, int depth)
    {
        if (depth > 8 || type.TypeKind is TypeKind.Error or TypeKind.Pointer or TypeKind.FunctionPointer or TypeKind.TypeParameter or TypeKind.Dynamic)
            return null;

        if (type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable)
        {
            var inner = nullable.TypeArguments[0];
            string? lambda = Lambda(inner, depth);
            return lambda is null ? null : Convert + "ToNullable<" + Symbols.Display(inner) + ">(" + input + ", " + lambda + ")";
        }

        bool annotated = type.IsReferenceType && type.NullableAnnotation == NullableAnnotation.Annotated;
        switch (type.SpecialType)
        {
            case SpecialType.System_Object: return Convert + "ToObject(" + input + ")" + (annotated ? "" : "!");
            case SpecialType.System_String: return Convert + (annotated ? "ToNullableString(" : "ToString(") + input + ")";
            case SpecialType.System_Boolean: return Call("ToBoolean", input);
            case SpecialType.System_Int64: return Call("ToInt64", input);
            case SpecialType.System_Int32: return Call("ToInt32", input);
            case SpecialType.System_Int16: return Call("ToInt16", input);
            case SpecialType.System_Byte: return Call("ToByte", input);
            case SpecialType.System_SByte: return Call("ToSByte", input);
            case SpecialType.System_UInt16: return Call("ToUInt16", input);
            case SpecialType.System_UInt32: return Call("ToUInt32", input);
            case SpecialType.System_UInt64: return Call("ToUInt64", input);
            case SpecialType.System_Single: return Call("ToSingle", input);
            case SpecialType.System_Double: return Call("ToDouble", input);
            case SpecialType.System_Decimal: return Call("ToDecimal", input);
            case SpecialType.System_Char: return Call("ToChar", input);
            case SpecialType.System_DateTime: return Call("ToDateTime", input);
        }
        if (type.TypeKind == TypeKind.Enum) return Convert + "ToEnum<" + Symbols.Display(type) + ">(" + input + ")";
        if (type.IsValueType) return ValueType(type, input);

        string? core = Reference(type, input, depth);
        if (core is null) return null;
        return annotated ? "(" + input + " is null ? null : " + core + ")" : core;
    }

    /// <summary>An <c>[Expose]</c> interface (or one with <c>[Expose]</c> members), not generic: it has a generated proxy.</summary>
    private static bool IsRemoteContract(INamedTypeSymbol type)
    {
        if (type.TypeKind != TypeKind.Interface || type.IsGenericType) return false;
        if (Symbols.Has(type, Symbols.ExposeAttribute)) return true;
        foreach (var member in type.GetMembers())
        {
            if (member is IMethodSymbol or IPropertySymbol && Symbols.Has(member, Symbols.ExposeAttribute)) return true;
        }
        return false;
    }

    private static string? ValueType(ITypeSymbol type, string input)
    {
        if (Symbols.Is(type, "System", "Guid")) return Call("ToGuid", input);
        // Bulk bytes, read as a view of the daemon's receive buffer where the call allows it (valid during the call).
        if (IsMemoryOfByte(type, "ReadOnlyMemory")) return Call("ToReadOnlyMemory", input);
        if (IsMemoryOfByte(type, "Memory")) return Call("ToMemory", input);
        if (Symbols.Is(type, "System", "DateTimeOffset")) return Call("ToDateTimeOffset", input);
        if (Symbols.Is(type, "System", "DateOnly")) return Call("ToDateOnly", input);
        if (Symbols.Is(type, "System", "TimeOnly")) return Call("ToTimeOnly", input);
        if (Symbols.Is(type, "System", "TimeSpan")) return Call("ToTimeSpan", input);
        if (Symbols.Is(type, "System.Numerics", "BigInteger")) return Call("ToBigInteger", input);
        if (Symbols.Is(type, "System.Numerics", "Complex")) return Call("ToComplex", input);
        if (type is INamedTypeSymbol named && DtoRules.HasReader(named)) return Symbols.Display(type) + ".FromWireValue(" + input + ")";
        return null;
    }

    private static bool IsMemoryOfByte(ITypeSymbol type, string name)
        => Symbols.Is(type, "System", name, arity: 1) && ((INamedTypeSymbol)type).TypeArguments[0].SpecialType == SpecialType.System_Byte;

    private static string? Reference(ITypeSymbol type, string input, int depth)
    {
        if (type is IArrayTypeSymbol array)
        {
            if (!array.IsSZArray) return null;
            if (array.ElementType.SpecialType == SpecialType.System_Byte) return Call("ToBytes", input);
            return Sequence("ToArray", array.ElementType, input, depth);
        }
        if (type is not INamedTypeSymbol named) return null;
        if (Symbols.Is(named, "TypedPyro", "PyroUri")) return Call("ToUri", input);
        if (Symbols.Is(named, "TypedPyro.Serialization", "PyTuple"))
        {
            // The object model's tuple; serializers without tuples (json) send a list.
            return "(" + input + " as global::TypedPyro.Serialization.PyTuple ?? new global::TypedPyro.Serialization.PyTuple("
                + Convert + "ToArray<object?>(" + input + ", static item => item)))";
        }
        if (DtoRules.HasReader(named)) return Symbols.DisplayNotAnnotated(named) + ".FromWireValue(" + input + ")";
        if (IsRemoteContract(named))
        {
            // Passed by reference (Pyro's callbacks and AUTOPROXY): the value is a proxy form or URI; make a typed proxy.
            return "global::TypedPyro.PyroCallbacks.ToProxy<" + Symbols.DisplayNotAnnotated(named) + ">(" + input + ")!";
        }
        if (named.Arity == 1 && IsNamespace(named, "System.Collections.Generic"))
        {
            var element = named.TypeArguments[0];
            switch (named.Name)
            {
                case "List":
                    string? list = Sequence("ToList", element, input, depth);
                    // List<object?> is the object model's list: passed through as it is.
                    return list is not null && element.SpecialType == SpecialType.System_Object
                        ? "(" + input + " as " + Symbols.DisplayNotAnnotated(named) + " ?? " + list + ")"
                        : list;
                case "IList":
                case "IReadOnlyList":
                case "ICollection":
                case "IReadOnlyCollection":
                case "IEnumerable":
                    return Sequence("ToList", element, input, depth);
                case "HashSet":
                case "ISet":
                case "IReadOnlySet":
                    return Sequence("ToHashSet", element, input, depth);
            }
        }
        if (named.Arity == 2 && IsNamespace(named, "System.Collections.Generic")
            && named.Name is "Dictionary" or "IDictionary" or "IReadOnlyDictionary")
        {
            var key = named.TypeArguments[0];
            var value = named.TypeArguments[1];
            string? keyLambda = Lambda(key, depth);
            string? valueLambda = Lambda(value, depth + 1);
            if (keyLambda is null || valueLambda is null) return null;
            string dictionary = Convert + "ToDictionary<" + Symbols.Display(key) + ", " + Symbols.Display(value) + ">(" + input + ", " + keyLambda + ", " + valueLambda + ")";
            // Dictionary<object, object?> is the object model's dict: passed through as it is.
            return named.Name == "Dictionary" && key.SpecialType == SpecialType.System_Object && value.SpecialType == SpecialType.System_Object
                ? "(" + input + " as " + Symbols.DisplayNotAnnotated(named) + " ?? " + dictionary + ")"
                : dictionary;
        }
        return null;
    }

    private static string? Sequence(string method, ITypeSymbol element, string input, int depth)
    {
        string? lambda = Lambda(element, depth);
        return lambda is null ? null : Convert + method + "<" + Symbols.Display(element) + ">(" + input + ", " + lambda + ")";
    }

    private static string Call(string method, string input) => Convert + method + "(" + input + ")";

    private static bool IsNamespace(INamedTypeSymbol type, string ns)
        => type.ContainingType is null && Symbols.IsNamespace(type.ContainingNamespace, ns);
}
