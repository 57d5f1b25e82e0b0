using System.Buffers;

namespace TypedPyro.Serialization;

/// <summary>
/// The serpent serializer (Pyro serializer id 1, Pyro4's default): Python literal expressions in UTF-8, as written by
/// Python's <c>serpent.dumps(obj, module_in_classname=True)</c> and read with <c>ast.literal_eval</c>.
/// </summary>
/// <remarks>
/// <para>
/// Writing is byte-identical to Python serpent 1.41 for the values both sides can express. Accepted .NET inputs:
/// <c>null</c>, <see cref="bool"/>, all integer types, <see cref="System.Numerics.BigInteger"/>, <see cref="float"/>/<see cref="double"/>
/// (<c>1e30000</c> for infinities, the <c>{'__class__':'float','value':'nan'}</c> dict for NaN), <see cref="decimal"/> (as
/// Python's <c>str(Decimal)</c>), <see cref="string"/>, <see cref="char"/>, <see cref="System.Numerics.Complex"/>, <c>byte[]</c> and
/// byte memories (the base64 dict), <see cref="PyTuple"/> and <see cref="System.Runtime.CompilerServices.ITuple"/> (tuples),
/// sets (<c>()</c> when empty), dictionaries, any other sequence (lists), <see cref="DateTime"/>, <see cref="DateTimeOffset"/>,
/// <see cref="DateOnly"/>, <see cref="TimeOnly"/> (ISO strings), <see cref="TimeSpan"/> (float seconds), <see cref="Guid"/>, enums
/// (their numeric value) and <see cref="IPyroWireValue"/>. Anything else raises <see cref="SerializeException"/>.
/// When serialization fails part of the document may already have been written to the output.
/// </para>
/// <para>
/// Reading returns the untyped object model (see <see cref="PyroSerializer"/>); the NaN dict becomes <see cref="double.NaN"/>
/// (Pyro's rule for any dict whose <c>__class__</c> is <c>float</c>), every other <c>__class__</c> dict stays a dictionary.
/// </para>
/// </remarks>
public sealed class SerpentSerializer : PyroSerializer
{
    /// <summary>
    /// The default nesting limit for reading and writing. Python itself is stricter by default: its serpent writer allows
    /// min(recursion limit / 5, 1000) = 200 levels and its parser 200 nested brackets.
    /// </summary>
    public const int DefaultMaxDepth = 1000;

    /// <summary>A shared instance with the default limits.</summary>
    public static SerpentSerializer Instance { get; } = new();

    /// <summary>Creates a serializer with the default nesting limit.</summary>
    public SerpentSerializer() : this(DefaultMaxDepth) { }

    /// <summary>Creates a serializer with a custom nesting limit.</summary>
    /// <param name="maxDepth">Maximum nesting of containers, for reading and writing (at least 1).</param>
    public SerpentSerializer(int maxDepth)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxDepth, 1);
        MaxDepth = maxDepth;
    }

    /// <summary>Maximum nesting of containers accepted when reading and writing.</summary>
    public int MaxDepth { get; }

    /// <inheritdoc/>
    public override SerializerId Id => SerializerId.Serpent;

    /// <inheritdoc/>
    public override string Name => "serpent";

    /// <inheritdoc/>
    public override void Serialize(IBufferWriter<byte> output, object? value)
    {
        ArgumentNullException.ThrowIfNull(output);
        new SerpentWriter(output, MaxDepth).WriteDocument(value);
    }

    /// <inheritdoc/>
    public override void SerializeCall<TArgs>(IBufferWriter<byte> output, string objectId, string method, TArgs args)
    {
        ArgumentNullException.ThrowIfNull(output);
        SerpentArgumentWriter.WriteCall(output, MaxDepth, objectId, method, args);
    }

    /// <inheritdoc/>
    public override object? Deserialize(ReadOnlySpan<byte> data) => new SerpentReader(data, MaxDepth).ReadDocument();

    /// <summary>Bulk bytes at the top of the reply (serpent's base64 dict) become the array at once: no 2-bytes-per-char string.</summary>
    internal override object? DeserializeBytesResult(ReadOnlyMemory<byte> data)
    {
        if (data.Length < BorrowedBytes.Threshold) return Deserialize(data.Span);
        var value = new SerpentReader(data, MaxDepth, borrow: true).ReadBytesDocument();
        return value is BorrowedBytes bulk ? bulk.ToArray() : value;
    }

    /// <inheritdoc/>
    public override PyroCall DeserializeCall(ReadOnlySpan<byte> data)
    {
        // The usual shape, parsed without the outer tuple or an empty kwargs dict.
        if (new SerpentReader(data, MaxDepth).TryReadCall(out var objectId, out var method, out var args, out var kwargs))
            return ToCallParts(objectId, method, args, kwargs);
        return DeserializeOtherCall(data);
    }

    internal override PyroCall DeserializeCall(ReadOnlyMemory<byte> data, bool borrowBulkBytes, CallArguments? arguments = null, bool argumentsOutliveCall = false)
    {
        // One constructor call: a conditional between two readers copied the 80-byte struct, and the JIT's copy read
        // it back with a 64-byte load right after the constructor's narrower stores (a store-forwarding stall that
        // took ~10% of the daemon's request handler).
        var reader = new SerpentReader(data, MaxDepth, borrow: borrowBulkBytes);
        if (reader.TryReadCall(out var objectId, out var method, out var args, out var kwargs, arguments, argumentsOutliveCall))
        {
            // Arguments read in place, no keywords: the connection's previous call object, if it names the same method.
            if (arguments is not null && ReferenceEquals(args, arguments) && SerpentReader.IsEmptyKeywords(kwargs) && objectId is string id && method is string name)
                return arguments.Call(id, name, NoKeywords);
            return ToCallParts(objectId, method, args, kwargs);
        }
        return DeserializeOtherCall(data.Span);
    }

    private PyroCall DeserializeOtherCall(ReadOnlySpan<byte> data)
    {
        object? value = Deserialize(data);
        // The base class recognises calls through the non-generic IList, which PyTuple does not implement.
        if (value is PyTuple { Count: 4 } call) value = new List<object?>(call);
        return ToCall(value);
    }
}
