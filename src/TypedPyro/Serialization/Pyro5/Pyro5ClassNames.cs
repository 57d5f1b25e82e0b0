using System.Collections;

namespace TypedPyro.Serialization;

/// <summary>
/// The one place where Pyro5's payloads differ from Pyro4's in content rather than framing: the <c>__class__</c>
/// names of Pyro's own classes (<c>Pyro5.core.URI</c>, <c>Pyro5.client.Proxy</c>, <c>Pyro5.errors.*</c>,
/// <c>Pyro5.core._ExceptionWrapper</c>). The layers above speak Pyro4's names; values are renamed on the way in and out
/// of a Pyro5 connection.
/// </summary>
internal static class Pyro5ClassNames
{
    private const string Pyro4Errors = "Pyro4.errors.";
    private const string Pyro5Errors = "Pyro5.errors.";

    /// <summary>The Pyro4 name for a Pyro5 class name, or null when the name is the same in both.</summary>
    public static string? ToPyro4(string name) => name switch
    {
        "Pyro5.core.URI" => PyroUri.WireClassName,
        "Pyro5.client.Proxy" => PyroProxyReference.WireClassName,
        "Pyro5.core._ExceptionWrapper" => "Pyro4.futures._ExceptionWrapper",
        _ when name.StartsWith(Pyro5Errors, StringComparison.Ordinal) => string.Concat(Pyro4Errors, name.AsSpan(Pyro5Errors.Length)),
        _ => null,
    };

    /// <summary>The Pyro5 name for a Pyro4 class name, or null when the name is the same in both.</summary>
    public static string? ToPyro5(string name) => name switch
    {
        PyroUri.WireClassName => "Pyro5.core.URI",
        PyroProxyReference.WireClassName => "Pyro5.client.Proxy",
        "Pyro4.futures._ExceptionWrapper" => "Pyro5.core._ExceptionWrapper",
        _ when name.StartsWith(Pyro4Errors, StringComparison.Ordinal) => string.Concat(Pyro5Errors, name.AsSpan(Pyro4Errors.Length)),
        _ => null,
    };

    /// <summary>
    /// Renames, in place, the class names in a value a Pyro5 peer sent (the deserializer's own containers, which nobody
    /// else holds yet). Returns the value.
    /// </summary>
    public static object? RenameIncoming(object? value, int depth = 0)
    {
        if (depth > MaxDepth) return value;
        switch (value)
        {
            case null or string or bool or long or double or byte[]:
                return value;
            case IDictionary map:
                if (map.Contains("__class__") && map["__class__"] is string name && ToPyro4(name) is { } pyro4)
                {
                    map["__class__"] = pyro4;
                    if (pyro4 == PyroProxyReference.WireClassName && map.Contains("state") && map["state"] is IReadOnlyList<object?> { Count: 6 } s)
                        map["state"] = new PyTuple(s[0], s[1], s[2], s[3], 0.0, null, s[4], 0L, s[5]);
                }
                foreach (DictionaryEntry entry in map) RenameIncoming(entry.Value, depth + 1);
                return value;
            case IEnumerable<object?> items:
                foreach (var item in items) RenameIncoming(item, depth + 1);
                return value;
            default:
                return value;
        }
    }

    /// <summary>
    /// A value to send to a Pyro5 peer: <paramref name="value"/> itself when it holds no Pyro4 class name, else a copy
    /// of the containers on the way to each renamed dictionary (the caller's values are never changed).
    /// <see cref="IPyroWireValue"/>s (URIs, proxies) are replaced by their renamed wire form.
    /// </summary>
    public static object? RenameOutgoing(object? value, int depth = 0)
    {
        if (depth > MaxDepth) return value;
        switch (value)
        {
            case null or string or bool or int or long or double or byte[]:
                return value;
            case IPyroWireValue wire:
                return RenameOutgoing(wire.ToWireValue(), depth + 1);
            case IDictionary map:
            {
                Dictionary<object, object?>? copy = null;
                if (map.Contains("__class__") && map["__class__"] is string name && ToPyro5(name) is { } pyro5)
                    copy = Copy(map);
                foreach (DictionaryEntry entry in map)
                {
                    var renamed = RenameOutgoing(entry.Value, depth + 1);
                    if (!ReferenceEquals(renamed, entry.Value))
                    {
                        copy ??= Copy(map);
                        copy[entry.Key] = renamed;
                    }
                }
                if (copy is not null && copy.TryGetValue("__class__", out var c) && c is string cls && ToPyro5(cls) is { } renamedClass)
                {
                    copy["__class__"] = renamedClass;
                    // Pyro4's proxy state is (uri, oneway, methods, attrs, timeout, hmac key, handshake, max retries,
                    // serializer); Pyro5's keeps (uri, oneway, methods, attrs, handshake, serializer).
                    if (cls == PyroProxyReference.WireClassName && copy.TryGetValue("state", out var st) && st is IReadOnlyList<object?> { Count: 9 } s)
                        copy["state"] = new PyTuple(s[0], s[1], s[2], s[3], s[6], s[8]);
                }
                return (object?)copy ?? value;
            }
            case PyTuple tuple:
            {
                object?[]? items = null;
                for (int i = 0; i < tuple.Count; i++)
                {
                    var renamed = RenameOutgoing(tuple[i], depth + 1);
                    if (ReferenceEquals(renamed, tuple[i])) continue;
                    items ??= tuple.AsSpan().ToArray();
                    items[i] = renamed;
                }
                return items is null ? value : new PyTuple(items);
            }
            case IList list when value is not Array { Rank: > 1 }:
            {
                List<object?>? items = null;
                for (int i = 0; i < list.Count; i++)
                {
                    var renamed = RenameOutgoing(list[i], depth + 1);
                    if (ReferenceEquals(renamed, list[i])) continue;
                    items ??= [.. list.Cast<object?>()];
                    items[i] = renamed;
                }
                return (object?)items ?? value;
            }
            default:
                return value;
        }
    }

    private static Dictionary<object, object?> Copy(IDictionary map)
    {
        var copy = new Dictionary<object, object?>(map.Count);
        foreach (DictionaryEntry entry in map) copy[entry.Key] = entry.Value;
        return copy;
    }

    // Beyond this the serializer's own depth limit reports the value; renaming stops rather than recursing further.
    private const int MaxDepth = 1000;
}
