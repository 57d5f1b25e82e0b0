using System.Collections;
using System.Collections.Frozen;

namespace TypedPyro;

/// <summary>
/// What a remote object exposes, as Pyro's <c>get_metadata</c> reports it: method names, the oneway subset, and
/// remote attribute (property) names.
/// </summary>
public sealed class PyroObjectMetadata
{
    /// <summary>Creates metadata; <paramref name="oneway"/> names must also be in <paramref name="methods"/>.</summary>
    public PyroObjectMetadata(IEnumerable<string> methods, IEnumerable<string>? oneway = null, IEnumerable<string>? attributes = null)
    {
        Methods = methods.ToFrozenSet(StringComparer.Ordinal);
        Oneway = (oneway ?? []).ToFrozenSet(StringComparer.Ordinal);
        Attributes = (attributes ?? []).ToFrozenSet(StringComparer.Ordinal);
        if (!Oneway.IsSubsetOf(Methods)) throw new ArgumentException("every oneway method must also be a method", nameof(oneway));
    }

    /// <summary>Exposed method names.</summary>
    public IReadOnlySet<string> Methods { get; }
    /// <summary>Methods marked oneway.</summary>
    public IReadOnlySet<string> Oneway { get; }
    /// <summary>Exposed remote attributes (properties).</summary>
    public IReadOnlySet<string> Attributes { get; }

    /// <summary>True when nothing is exposed (Pyro refuses to proxy such an object).</summary>
    public bool IsEmpty => Methods.Count == 0 && Attributes.Count == 0;

    /// <summary>
    /// The wire form <c>{'methods': ..., 'oneway': ..., 'attrs': ...}</c>, with lists (as in CONNECTOK) or sets
    /// (as <c>get_metadata</c> returns by default). Names are sorted so replies are deterministic.
    /// </summary>
    public Dictionary<object, object?> ToWireValue(bool asLists) => new()
    {
        ["methods"] = Container(Methods, asLists),
        ["oneway"] = Container(Oneway, asLists),
        ["attrs"] = Container(Attributes, asLists),
    };

    private static object Container(IReadOnlySet<string> names, bool asList)
    {
        var sorted = names.Order(StringComparer.Ordinal).Cast<object?>();
        return asList ? sorted.ToList() : new HashSet<object?>(sorted);
    }

    /// <summary>
    /// Reads metadata from its wire form. Containers may be lists, tuples or sets, and an empty set may arrive
    /// as <c>()</c>; all are treated as unordered collections of names.
    /// </summary>
    /// <exception cref="ProtocolException">The value is not a metadata dictionary.</exception>
    public static PyroObjectMetadata FromWireValue(object? value)
    {
        if (value is not IDictionary map) throw new ProtocolException("invalid metadata: expected a dict");
        return new PyroObjectMetadata(Names(map, "methods"), Names(map, "oneway"), Names(map, "attrs"));
    }

    private static IEnumerable<string> Names(IDictionary map, string key)
    {
        if (!map.Contains(key) || map[key] is null) return [];
        if (map[key] is not IEnumerable items || map[key] is string) throw new ProtocolException($"invalid metadata: '{key}' is not a collection");
        return items.Cast<object?>().Select(n => n as string ?? throw new ProtocolException($"invalid metadata: a name in '{key}' is not a string")).ToList();
    }
}
