using System.Buffers;

namespace TypedPyro.Serialization;

/// <summary>
/// Pyro4's <c>marshal</c> serializer (id 3): Python's <c>marshal</c> format, version 4, for plain values.
/// A Pyro4 daemon sends early CONNECTFAIL reasons in marshal whatever the client used, and the <c>BLBI</c>
/// annotation of a SerializedBlob call is marshal too.
/// </summary>
/// <remarks>
/// <para><b>Reading</b> handles None, True, False, ints (<c>i</c>, <c>I</c>, big <c>l</c>), floats (<c>g</c>, <c>f</c>),
/// complex (<c>y</c>, <c>x</c>), bytes (<c>s</c>, as <c>byte[]</c>), every str code (<c>z Z a A u t</c>; <c>u</c>/<c>t</c>
/// decoded like Python's <c>surrogatepass</c>), tuples (<see cref="PyTuple"/>), lists, dicts (a
/// <see cref="Dictionary{TKey, TValue}"/> with <see cref="PyValueComparer"/>; a None key is refused), sets and frozensets
/// (both <see cref="HashSet{T}"/>), the FLAG_REF reference table and <c>r</c> back-references (which yield the same
/// instance, as in Python). Refused with
/// <see cref="SerializeException"/>: code objects, StopIteration, Ellipsis, unknown codes, truncated data, sizes beyond
/// the data, bytes after the value, nesting deeper than <see cref="MaxDepth"/>, references to a container that is
/// still being read (circular data, which CPython would build but TypedPyro's object model cannot hold safely), and
/// back-references that would expand to more than max(2^20, 16 x input length) values.</para>
/// <para><b>Writing</b> handles null, bool, integer types and <see cref="System.Numerics.BigInteger"/> (<c>i</c> when
/// the value fits in 32 bits, else <c>l</c>), float/double (<c>g</c>), <see cref="System.Numerics.Complex"/>
/// (<c>y</c>; a float is widened to the double of its shortest text, as the json serializer does), strings and char
/// (<c>z</c>/<c>a</c> for ASCII, else <c>u</c>), bytes (<c>byte[]</c>,
/// <c>Memory&lt;byte&gt;</c>, ...: <c>s</c>), <see cref="PyTuple"/> and other arrays (tuples), sets (<c>&lt;</c>), other
/// enumerables (lists), dictionaries (<c>{</c>), enums (underlying integer), and, as text like the json serializer
/// writes them, decimal, Guid, DateTime, DateTimeOffset and DateOnly. The FLAG_REF bits follow Pyro's own output (see
/// <see cref="SerializeBlobInfo(IBufferWriter{byte}, object?, string, string)"/>); no back-references are written.
/// TimeSpan, TimeOnly and unknown types are refused with <see cref="SerializeException"/>; as with the json serializer,
/// part of the output may already be in the buffer writer when that happens.</para>
/// </remarks>
public sealed class MarshalSerializer : PyroSerializer
{
    /// <summary>The default nesting limit for reading and writing.</summary>
    public const int DefaultMaxDepth = 1000;

    /// <summary>A shared instance with the default limits.</summary>
    public static MarshalSerializer Instance { get; } = new();

    /// <summary>Creates a serializer with <see cref="DefaultMaxDepth"/>.</summary>
    public MarshalSerializer() : this(DefaultMaxDepth) { }

    /// <summary>Creates a serializer with a custom nesting limit.</summary>
    /// <param name="maxDepth">Maximum nesting of containers, at least 1.</param>
    public MarshalSerializer(int maxDepth)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxDepth, 1);
        MaxDepth = maxDepth;
    }

    /// <summary>Maximum nesting of containers accepted when writing and reading.</summary>
    public int MaxDepth { get; }

    /// <inheritdoc/>
    public override SerializerId Id => SerializerId.Marshal;

    /// <inheritdoc/>
    public override string Name => "marshal";

    /// <inheritdoc/>
    public override void Serialize(IBufferWriter<byte> output, object? value)
    {
        ArgumentNullException.ThrowIfNull(output);
        var writer = new MarshalWriter(output, MaxDepth);
        writer.WriteValue(value, 0);
        writer.Flush();
    }

    /// <inheritdoc/>
    public override object? Deserialize(ReadOnlySpan<byte> data) => new MarshalReader(data, MaxDepth).ReadDocument();

    /// <summary>
    /// Writes the call tuple <c>(objectId, method, [vargs...], {kwargs})</c> as Pyro4's <c>MarshalSerializer.dumpsCall</c>
    /// does (vargs as a list; the method name as an interned str, as Python has it). kwargs null is written as None.
    /// </summary>
    public override void SerializeCall(IBufferWriter<byte> output, string objectId, string method, IReadOnlyList<object?> args, IReadOnlyDictionary<string, object?>? kwargs)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(objectId);
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(args);
        var writer = new MarshalWriter(output, MaxDepth);
        writer.WriteTupleHeader(4);
        writer.WriteString(objectId, interned: false);
        writer.WriteString(method, interned: true);
        writer.WriteList(args, 1);
        if (kwargs is null) writer.WriteValue(null, 1);
        else writer.WriteDictionary(kwargs, 1);
        writer.Flush();
    }

    /// <inheritdoc/>
    public override PyroCall DeserializeCall(ReadOnlySpan<byte> data)
    {
        object? value = Deserialize(data);
        // The call is a tuple; hand it to the shared interpretation as an array (an IList).
        return ToCall(value is PyTuple tuple ? tuple.AsSpan().ToArray() : value);
    }

    /// <summary>
    /// Writes the <c>BLBI</c> annotation value of a SerializedBlob call: the tuple <c>(info, objectId, method)</c>.
    /// For ASCII strings the bytes equal what Pyro4 sends: <c>29 03</c>, then <paramref name="info"/> and
    /// <paramref name="objectId"/> as <c>fa len ...</c>, and <paramref name="method"/> interned as <c>da len ...</c>.
    /// </summary>
    public void SerializeBlobInfo(IBufferWriter<byte> output, object? info, string objectId, string method)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(objectId);
        ArgumentNullException.ThrowIfNull(method);
        var writer = new MarshalWriter(output, MaxDepth);
        writer.WriteTupleHeader(3);
        writer.WriteValue(info, 1);
        writer.WriteString(objectId, interned: false);
        writer.WriteString(method, interned: true);
        writer.Flush();
    }

    /// <summary>The <c>BLBI</c> annotation value as a new array; see <see cref="SerializeBlobInfo(IBufferWriter{byte}, object?, string, string)"/>.</summary>
    public byte[] SerializeBlobInfo(object? info, string objectId, string method)
    {
        var buffer = new ArrayBufferWriter<byte>(64);
        SerializeBlobInfo(buffer, info, objectId, method);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Reads a <c>BLBI</c> annotation value: the tuple <c>(info, objectId, method)</c>.</summary>
    /// <exception cref="SerializeException">The data is not such a tuple.</exception>
    public (object? Info, string ObjectId, string Method) DeserializeBlobInfo(ReadOnlySpan<byte> data)
    {
        if (Deserialize(data) is PyTuple { Count: 3 } tuple && tuple[1] is string objectId && tuple[2] is string method)
            return (tuple[0], objectId, method);
        throw new SerializeException("invalid BLBI annotation: expected a tuple (info, objectId, method)");
    }
}
