using System.Collections;
using System.Numerics;
using TypedPyro.Serialization;

namespace TypedPyro.Cli.Commands.Scaffold;

/// <summary>
/// C# types read off values seen on the wire (one sample call): what the generator's converters accept, and
/// <c>object?</c> wherever a value says nothing (None, an empty collection, mixed items).
/// </summary>
internal static class SampleTypes
{
    private const string Unknown = "object?";
    private const string Generic = "System.Collections.Generic.";

    /// <summary>The type of one value; null for None (which tells nothing).</summary>
    public static string? Of(object? value) => value switch
    {
        null => null,
        bool => "bool",
        int => "int",
        long => "long",
        BigInteger => "System.Numerics.BigInteger",
        double => "double",
        decimal => "decimal",
        string => "string",
        byte[] => "byte[]",
        Guid => "System.Guid",
        DateTime => "System.DateTime",
        TimeSpan => "System.TimeSpan",
        Complex => "System.Numerics.Complex",
        IDictionary map when map.Contains("__class__") => Generic + "Dictionary<string, object?>",
        IDictionary map => $"{Generic}Dictionary<{Key(map.Keys)}, {Unify(map.Values)}>",
        HashSet<object?> set => $"{Generic}HashSet<{Key(set)}>",
        IEnumerable items when value is PyTuple or IList => $"{Generic}List<{Unify(items)}>",
        _ => null,
    };

    /// <summary>The type of a value where None allows any type: <c>object?</c>.</summary>
    public static string OrUnknown(object? value) => Of(value) ?? Unknown;

    /// <summary>Why a value's type could not be told, for the member's note; null when it could.</summary>
    public static string? Doubt(object? value) => value switch
    {
        null => "None says nothing about the type",
        IDictionary map when map.Contains("__class__") => $"a Python object ({map["__class__"]}): declare a [PyroDto(\"{map["__class__"]}\")] type for it",
        _ when Of(value) is null => $"a {value.GetType().Name} has no declared C# type",
        _ when OrUnknown(value).Contains(Unknown, StringComparison.Ordinal) => "some items say nothing about their type (None, empty or mixed)",
        _ => null,
    };

    /// <summary>The common type of items: one type, or long for ints and longs, double for numbers, else object?.</summary>
    public static string Unify(IEnumerable items)
    {
        var types = new HashSet<string>(StringComparer.Ordinal);
        bool none = false, any = false;
        foreach (var item in items)
        {
            any = true;
            if (Of(item) is { } type) types.Add(type);
            else none = true;
        }
        if (!any || types.Count == 0) return Unknown;
        string? common = types.Count == 1 ? types.First()
            : types.IsSubsetOf(["int", "long"]) ? "long"
            : types.IsSubsetOf(["int", "long", "double"]) ? "double"
            : null;
        if (common is null) return Unknown;
        return none ? common + "?" : common;
    }

    /// <summary>Dictionary keys and set items cannot be nullable: object when unknown.</summary>
    private static string Key(IEnumerable keys)
    {
        string type = Unify(keys);
        return type.EndsWith('?') ? "object" : type;
    }
}
