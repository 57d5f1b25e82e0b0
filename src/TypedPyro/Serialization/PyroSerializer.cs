using System.Buffers;
using System.Collections;

namespace TypedPyro.Serialization;

/// <summary>
/// A Pyro4 payload serializer. Instances are immutable and thread-safe.
/// </summary>
/// <remarks>
/// The untyped object model (what <see cref="Deserialize"/> returns, and what <see cref="Serialize(IBufferWriter{byte}, object?)"/>
/// accepts besides ordinary .NET values) is documented in <c>docs/type-mapping.md</c>: <c>null</c>, <see cref="bool"/>,
/// <see cref="long"/> or <see cref="System.Numerics.BigInteger"/>, <see cref="double"/>, <see cref="System.Numerics.Complex"/>,
/// <see cref="string"/>, <see cref="PyTuple"/>, <see cref="List{T}"/> of object, <see cref="HashSet{T}"/> of object and
/// <see cref="Dictionary{TKey, TValue}"/> of object to object (insertion ordered).
/// Deserializers never instantiate a type named by the wire: <c>__class__</c> dictionaries come back as dictionaries
/// (except Python's NaN float form) and are interpreted by the layer above.
/// </remarks>
public abstract class PyroSerializer
{
    /// <summary>The wire id of this serializer.</summary>
    public abstract SerializerId Id { get; }

    /// <summary>The name Pyro uses for it (<c>serpent</c>, <c>json</c>, ...).</summary>
    public abstract string Name { get; }

    /// <summary>Writes <paramref name="value"/> to <paramref name="output"/>.</summary>
    /// <exception cref="SerializeException">The value (or something inside it) cannot be represented.</exception>
    public abstract void Serialize(IBufferWriter<byte> output, object? value);

    /// <summary>Reads one value.</summary>
    /// <exception cref="SerializeException">The data is malformed.</exception>
    public abstract object? Deserialize(ReadOnlySpan<byte> data);

    /// <summary>
    /// <see cref="Deserialize"/> for a reply whose caller wants <c>byte[]</c>: a format that carries bytes as text
    /// (serpent) decodes bulk bytes straight into the array instead of making the object model's string first.
    /// </summary>
    internal virtual object? DeserializeBytesResult(ReadOnlyMemory<byte> data) => Deserialize(data.Span);

    /// <summary>Serializes a value into a new array.</summary>
    public byte[] Serialize(object? value)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        Serialize(buffer, value);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>
    /// Writes an INVOKE payload. Serpent and marshal write the 4-tuple <c>(objectId, method, vargs, kwargs)</c>;
    /// json writes <c>{"object", "method", "params", "kwargs"}</c>.
    /// </summary>
    public virtual void SerializeCall(IBufferWriter<byte> output, string objectId, string method, IReadOnlyList<object?> args, IReadOnlyDictionary<string, object?>? kwargs)
        => Serialize(output, new PyTuple(objectId, method, args is PyTuple or List<object?> ? args : new PyTuple([.. args]), kwargs));

    /// <summary>
    /// Writes an INVOKE payload from typed arguments without boxing them, byte-identical to
    /// <see cref="SerializeCall(IBufferWriter{byte}, string, string, IReadOnlyList{object?}, IReadOnlyDictionary{string, object?}?)"/>
    /// with <c>args.ToTuple()</c> and no keyword arguments. Serpent and json write the arguments directly; the other
    /// serializers go through the tuple.
    /// </summary>
    public virtual void SerializeCall<TArgs>(IBufferWriter<byte> output, string objectId, string method, TArgs args) where TArgs : IPyroArguments
        => SerializeCall(output, objectId, method, args.ToTuple(), NoKeywords);

    /// <summary>The shared empty kwargs of decoded calls.</summary>
    private protected static readonly IReadOnlyDictionary<string, object?> NoKeywords = System.Collections.ObjectModel.ReadOnlyDictionary<string, object?>.Empty;

    /// <summary>Reads an INVOKE payload written by any Pyro4 peer.</summary>
    /// <exception cref="SerializeException">The payload is not a call.</exception>
    public virtual PyroCall DeserializeCall(ReadOnlySpan<byte> data) => ToCall(Deserialize(data));

    /// <summary>
    /// Reads an INVOKE payload from a buffer that stays untouched until the call is over. With
    /// <paramref name="borrowBulkBytes"/>, positional bytes arguments of at least <see cref="BorrowedBytes.Threshold"/>
    /// bytes may come back as <see cref="BorrowedBytes"/> left in <paramref name="data"/> (msgpack, serpent); other
    /// serializers read as usual. With <paramref name="arguments"/>, the connection's reading state, a serializer may
    /// read the positional arguments into it (serpent does) instead of into a new tuple, unless
    /// <paramref name="argumentsOutliveCall"/>; the call's <see cref="PyroCall.Args"/> is then that list.
    /// </summary>
    internal virtual PyroCall DeserializeCall(ReadOnlyMemory<byte> data, bool borrowBulkBytes, CallArguments? arguments = null, bool argumentsOutliveCall = false) => DeserializeCall(data.Span);

    /// <summary>Builds a call from its four parts as decoded (batch entries use the same rules).</summary>
    /// <exception cref="SerializeException">The parts do not form a call.</exception>
    public static PyroCall ToCallParts(object? objectId, object? method, object? args, object? kwargs)
    {
        if (objectId is not string id || method is not string name)
            throw new SerializeException("invalid call payload: object id and method must be strings");

        IReadOnlyList<object?> positional = args switch
        {
            null => PyTuple.Empty,
            IReadOnlyList<object?> list => list,
            IList list => list.Cast<object?>().ToList(),
            _ => throw new SerializeException("invalid call payload: vargs must be a sequence"),
        };
        return new PyroCall(id, name, positional, ToKeywords(kwargs));
    }

    /// <summary>Keyword arguments as decoded: None stays null; an empty dict is a shared empty one (nothing allocated).</summary>
    private static IReadOnlyDictionary<string, object?>? ToKeywords(object? kwargs)
    {
        switch (kwargs)
        {
            case null:
                return null;
            case ICollection { Count: 0 } and IDictionary:
                return NoKeywords;
            case Dictionary<object, object?> map:
                var keywords = new Dictionary<string, object?>(map.Count);
                foreach (var (key, value) in map)
                {
                    if (key is not string name) throw new SerializeException("invalid call payload: keyword names must be strings");
                    keywords[name] = value;
                }
                return keywords;
            case IDictionary map:
                var converted = new Dictionary<string, object?>(map.Count);
                foreach (DictionaryEntry entry in map)
                {
                    if (entry.Key is not string name) throw new SerializeException("invalid call payload: keyword names must be strings");
                    converted[name] = entry.Value;
                }
                return converted;
            default:
                throw new SerializeException("invalid call payload: kwargs must be a dict or None");
        }
    }

    /// <summary>Interprets a decoded call value: a 4-sequence (serpent, marshal, msgpack) or a json object.</summary>
    protected static PyroCall ToCall(object? value)
    {
        object? objectId, method, args, kwargs;
        switch (value)
        {
            case IReadOnlyList<object?> { Count: 4 } items:
                (objectId, method, args, kwargs) = (items[0], items[1], items[2], items[3]);
                break;
            case IList { Count: 4 } items:
                (objectId, method, args, kwargs) = (items[0], items[1], items[2], items[3]);
                break;
            case IDictionary map when map.Contains("object") && map.Contains("method"):
                (objectId, method, args, kwargs) = (map["object"], map["method"], map["params"], map["kwargs"]);
                break;
            default:
                throw new SerializeException("invalid call payload: expected (object, method, vargs, kwargs)");
        }
        return ToCallParts(objectId, method, args, kwargs);
    }
}
