using Microsoft.CodeAnalysis;

namespace TypedPyro.Analyzers;

/// <summary>Why a type cannot cross the wire: the offending (possibly nested) type and the reason.</summary>
internal readonly struct WireProblem
{
    public WireProblem(ITypeSymbol type, string reason, bool jsonOnly)
    {
        Type = type;
        Reason = reason;
        JsonOnly = jsonOnly;
    }

    public ITypeSymbol Type { get; }
    public string Reason { get; }
    /// <summary>True when only the json serializer cannot carry the type.</summary>
    public bool JsonOnly { get; }
}

/// <summary>The wire-crossable types of docs/type-mapping.md (serpent; json carries less).</summary>
internal static class WireTypes
{
    private const int MaxDepth = 8;

    /// <summary>Checks a parameter or property type, or a result after unwrapping Task&lt;T&gt; and iterators.</summary>
    public static WireProblem? Check(ITypeSymbol type, bool json) => Check(type, json, 0);

    private static WireProblem? Check(ITypeSymbol type, bool json, int depth)
    {
        if (depth > MaxDepth) return null;
        switch (type.TypeKind)
        {
            case TypeKind.Error:
            case TypeKind.TypeParameter:
            case TypeKind.Unknown:
                return null; // broken or generic code: reported elsewhere or by the compiler
            case TypeKind.Dynamic:
                return new WireProblem(type, "'dynamic' has no wire shape; declare the type", false);
            case TypeKind.Pointer:
            case TypeKind.FunctionPointer:
                return new WireProblem(type, "pointers point into this process only", false);
            case TypeKind.Delegate:
                return new WireProblem(type, "delegates cannot be serialized; pass an [Expose] interface as a callback instead", false);
            case TypeKind.Enum:
                return null;
        }

        if (type is IArrayTypeSymbol array)
        {
            if (!array.IsSZArray) return new WireProblem(type, "multi-dimensional arrays are not supported; use arrays of arrays or lists", false);
            if (array.ElementType.SpecialType == SpecialType.System_Byte)
                return json ? new WireProblem(type, "Pyro4's json serializer cannot carry binary data", true) : null;
            return Check(array.ElementType, json, depth + 1);
        }

        if (type is not INamedTypeSymbol named) return null;

        if (named.OriginalDefinition.SpecialType == SpecialType.System_Nullable_T)
            return Check(named.TypeArguments[0], json, depth + 1);
        switch (named.SpecialType)
        {
            case SpecialType.System_Boolean:
            case SpecialType.System_Char:
            case SpecialType.System_SByte:
            case SpecialType.System_Byte:
            case SpecialType.System_Int16:
            case SpecialType.System_UInt16:
            case SpecialType.System_Int32:
            case SpecialType.System_UInt32:
            case SpecialType.System_Int64:
            case SpecialType.System_UInt64:
            case SpecialType.System_Decimal:
            case SpecialType.System_Single:
            case SpecialType.System_Double:
            case SpecialType.System_String:
            case SpecialType.System_Object:
            case SpecialType.System_DateTime:
                return null;
            case SpecialType.System_IntPtr:
            case SpecialType.System_UIntPtr:
                return new WireProblem(type, "native-sized integers have no wire shape; use long", false);
            case SpecialType.System_Void:
                return null;
        }

        if (named.IsRefLikeType)
            return new WireProblem(type, "ref structs such as Span<T> live on the stack only; use an array or ReadOnlyMemory<byte>", false);

        var ns = named.ContainingNamespace;
        string name = named.MetadataName;
        if (named.ContainingType is null && ns is not null)
        {
            if (PyroModel.IsNamespace(ns, "System"))
            {
                switch (name)
                {
                    case "DateTimeOffset":
                    case "DateOnly":
                    case "Guid":
                        return null;
                    case "TimeSpan":
                    case "TimeOnly":
                        return json ? new WireProblem(type, $"Pyro4's json serializer cannot carry a {name}", true) : null;
                    case "Memory`1":
                    case "ReadOnlyMemory`1":
                        if (named.TypeArguments[0].SpecialType != SpecialType.System_Byte)
                            return new WireProblem(type, "only Memory<byte> and ReadOnlyMemory<byte> cross the wire; use an array or a list", false);
                        return json ? new WireProblem(type, "Pyro4's json serializer cannot carry binary data", true) : null;
                    case "Tuple`1": case "Tuple`2": case "Tuple`3": case "Tuple`4": case "Tuple`5": case "Tuple`6": case "Tuple`7": case "Tuple`8":
                    case "ValueTuple": case "ValueTuple`1": case "ValueTuple`2": case "ValueTuple`3": case "ValueTuple`4": case "ValueTuple`5": case "ValueTuple`6": case "ValueTuple`7": case "ValueTuple`8":
                        return new WireProblem(type, "tuples are not supported; use TypedPyro.Serialization.PyTuple or a [PyroDto] record", false);
                }
            }
            else if (PyroModel.IsNamespace(ns, "System.Numerics"))
            {
                if (name == "BigInteger") return null;
                if (name == "Complex") return json ? new WireProblem(type, "Pyro4's json serializer has no complex numbers", true) : null;
            }
            else if (PyroModel.IsNamespace(ns, "System.Collections.Generic"))
            {
                switch (name)
                {
                    case "List`1":
                    case "IList`1":
                    case "IReadOnlyList`1":
                    case "IEnumerable`1":
                    case "HashSet`1":
                    case "ISet`1":
                        return Check(named.TypeArguments[0], json, depth + 1);
                    case "Dictionary`2":
                    case "IDictionary`2":
                    case "IReadOnlyDictionary`2":
                        return Check(named.TypeArguments[0], json, depth + 1) ?? Check(named.TypeArguments[1], json, depth + 1);
                    case "IAsyncEnumerable`1":
                        return new WireProblem(type, "an IAsyncEnumerable<T> can only be the result of a remote method (a remote iterator)", false);
                }
            }
            else if (PyroModel.IsNamespace(ns, "System.Collections"))
            {
                if (name == "IDictionary") return null;
            }
            else if (PyroModel.IsNamespace(ns, "System.Threading.Tasks"))
            {
                if (name is "Task" or "Task`1" or "ValueTask" or "ValueTask`1")
                    return new WireProblem(type, "a task is a local promise; pass the value, or make the method itself async", false);
            }
            else if (PyroModel.IsNamespace(ns, "System.Threading"))
            {
                if (name == "CancellationToken")
                    return new WireProblem(type, "a CancellationToken is local only; it may be the last parameter of a remote method", false);
            }
            else if (PyroModel.IsNamespace(ns, "TypedPyro"))
            {
                if (name == "PyroUri") return null;
            }
            else if (PyroModel.IsNamespace(ns, "TypedPyro.Serialization"))
            {
                if (name == "PyTuple") return null;
            }
        }

        if (IsStream(named))
            return new WireProblem(type, "a stream cannot be serialized; send its content in chunks with a remote iterator (IEnumerable<byte[]>)", false);
        if (PyroModel.HasAttribute(named, PyroModel.PyroDtoAttribute)) return null;
        if (named.TypeKind == TypeKind.Interface)
        {
            if (PyroModel.IsContract(named)) return null; // travels as a callback proxy
            return new WireProblem(type, "it is neither a supported collection interface nor an [Expose] contract", false);
        }
        if (named.TypeKind is TypeKind.Class or TypeKind.Struct)
        {
            return named.Locations.Length > 0 && named.Locations[0].IsInSource
                ? new WireProblem(type, "it is not a data transfer object; add [PyroDto(\"module.Class\")] to it (it must be partial)", false)
                : new WireProblem(type, "it is not a data transfer object; copy its data into a [PyroDto] record", false);
        }
        return null;
    }

    public static bool IsStream(ITypeSymbol? type)
    {
        for (var t = type; t is not null; t = t.BaseType)
        {
            if (PyroModel.Is(t, "System.IO", "Stream")) return true;
        }
        return false;
    }

    /// <summary>byte[], Memory&lt;byte&gt;, ReadOnlyMemory&lt;byte&gt; or a Stream (possibly nullable).</summary>
    public static bool IsBinaryPayload(ITypeSymbol type)
    {
        if (type is INamedTypeSymbol nullable && nullable.OriginalDefinition.SpecialType == SpecialType.System_Nullable_T) type = nullable.TypeArguments[0];
        if (type is IArrayTypeSymbol { IsSZArray: true } array) return array.ElementType.SpecialType == SpecialType.System_Byte;
        if (type is INamedTypeSymbol { Arity: 1 } named && named.Name is "Memory" or "ReadOnlyMemory" && PyroModel.IsNamespace(named.ContainingNamespace, "System"))
            return named.TypeArguments[0].SpecialType == SpecialType.System_Byte;
        return IsStream(type);
    }
}
