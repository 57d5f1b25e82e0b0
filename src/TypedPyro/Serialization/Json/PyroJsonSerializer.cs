using System.Buffers;

namespace TypedPyro.Serialization;

/// <summary>
/// Pyro4's <c>json</c> serializer (id 2): byte-identical to Python's <c>json.dumps(obj, ensure_ascii=False)</c>
/// encoded as UTF-8, which is what <c>Pyro4.util.JsonSerializer</c> sends.
/// </summary>
/// <remarks>
/// <para><b>Writing.</b> Separators are <c>", "</c> and <c>": "</c>; strings are raw UTF-8 except <c>"</c>, <c>\</c>,
/// <c>\n \r \t \b \f</c> and other controls (<c>\u00XX</c>); floats use Python's <c>repr</c> (<see cref="PythonFloat"/>),
/// NaN and infinities the bare tokens <c>NaN</c>, <c>Infinity</c>, <c>-Infinity</c>; ints any size (up to Python's
/// 4300-digit text limit). .NET values map as follows:</para>
/// <list type="bullet">
/// <item><c>null</c>, <see cref="bool"/>, every integer type, <see cref="System.Numerics.BigInteger"/>, <see cref="float"/>
/// (sent as the double of its shortest text), <see cref="double"/>, <see cref="string"/>, <see cref="char"/>.</item>
/// <item><see cref="decimal"/> -> string, spelled like Python's <c>str(Decimal)</c>; <see cref="Guid"/> -> lower-case
/// string; <see cref="DateTime"/>, <see cref="DateTimeOffset"/>, <see cref="DateOnly"/> -> <c>isoformat()</c> strings
/// (microseconds only when non-zero; Kind Utc -> <c>+00:00</c>, Kind Local -> the local offset, Unspecified -> naive).</item>
/// <item>Enums -> their underlying integer (Python's json refuses enums; serpent sends an enum's value).</item>
/// <item><see cref="PyTuple"/>, arrays, lists, sets and any other <see cref="System.Collections.IEnumerable"/> -> json
/// arrays (so tuples come back as lists); <c>char[]</c> -> a string, like Python's <c>array('u')</c>.</item>
/// <item><see cref="System.Collections.IDictionary"/> and sequences of <c>KeyValuePair&lt;string|object, object?&gt;</c>
/// -> json objects in enumeration order; keys: strings kept, integers/floats/bools/null/enums converted to strings as
/// Python does (<c>"1"</c>, <c>"2.5"</c>, <c>"true"</c>, <c>"null"</c>), anything else (tuples, ...) refused.</item>
/// <item><see cref="IPyroWireValue"/> -> its <see cref="IPyroWireValue.ToWireValue"/>.</item>
/// <item>Refused with <see cref="SerializeException"/>, as Python's json refuses the analogous Python types: bytes
/// (<c>byte[]</c>, <c>Memory&lt;byte&gt;</c>, ...), <see cref="System.Numerics.Complex"/>, <see cref="TimeSpan"/>,
/// <see cref="TimeOnly"/>; and any other type.</item>
/// </list>
/// <para>Lone UTF-16 surrogates in strings are written as <c>\udXXX</c> escapes (Python itself cannot send them: its
/// UTF-8 encoding fails; its json.loads reads the escape back into the same lone surrogate). Nesting deeper than
/// <see cref="MaxDepth"/> (including circular references) is refused. When serialization fails, part of the output may
/// already have been written to the buffer writer; discard it.</para>
/// <para><b>Reading</b> returns the untyped object model: <c>null</c>, <see cref="bool"/>, <see cref="long"/> or
/// <see cref="System.Numerics.BigInteger"/>, <see cref="double"/> (bare NaN/Infinity accepted, overflow -> infinity),
/// <see cref="string"/> (lone surrogates from <c>\udXXX</c> kept), <see cref="List{T}"/> of object for arrays and
/// <see cref="Dictionary{TKey, TValue}"/> of object to object (string keys, document order; a repeated key keeps its
/// first position and last value, like Python) for objects. Serpent's NaN form
/// <c>{"__class__": "float", "value": "nan"}</c> becomes a double; no other <c>__class__</c> dictionary is interpreted.
/// Malformed input (including invalid UTF-8, a BOM, ints over 4300 digits, nesting deeper than <see cref="MaxDepth"/>)
/// raises <see cref="SerializeException"/> and nothing else.</para>
/// </remarks>
public sealed class PyroJsonSerializer : PyroSerializer
{
    /// <summary>
    /// The default nesting limit for both directions: Python's own json gives up at about this depth (its recursion limit).
    /// </summary>
    public const int DefaultMaxDepth = 1000;

    /// <summary>A shared instance with the default limits.</summary>
    public static PyroJsonSerializer Instance { get; } = new();

    /// <summary>Creates a serializer with <see cref="DefaultMaxDepth"/>.</summary>
    public PyroJsonSerializer() : this(DefaultMaxDepth) { }

    /// <summary>Creates a serializer with a custom nesting limit.</summary>
    /// <param name="maxDepth">Maximum nesting of arrays and objects, at least 1.</param>
    public PyroJsonSerializer(int maxDepth)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxDepth, 1);
        MaxDepth = maxDepth;
    }

    /// <summary>Maximum nesting of arrays and objects accepted when writing and reading.</summary>
    public int MaxDepth { get; }

    /// <inheritdoc/>
    public override SerializerId Id => SerializerId.Json;

    /// <inheritdoc/>
    public override string Name => "json";

    /// <inheritdoc/>
    public override void Serialize(IBufferWriter<byte> output, object? value)
    {
        ArgumentNullException.ThrowIfNull(output);
        var writer = new JsonValueWriter(output, MaxDepth);
        writer.WriteValue(value, 0);
        writer.Flush();
    }

    /// <inheritdoc/>
    public override void SerializeCall<TArgs>(IBufferWriter<byte> output, string objectId, string method, TArgs args)
    {
        ArgumentNullException.ThrowIfNull(output);
        JsonArgumentWriter.WriteCall(output, MaxDepth, objectId, method, args);
    }

    /// <inheritdoc/>
    public override PyroCall DeserializeCall(ReadOnlySpan<byte> data)
        => JsonValueReader.TryReadCall(data, MaxDepth, out var objectId, out var method, out var args, out var kwargs)
            ? ToCallParts(objectId, method, args, kwargs)
            : base.DeserializeCall(data);

    /// <inheritdoc/>
    public override object? Deserialize(ReadOnlySpan<byte> data) => JsonValueReader.Read(data, MaxDepth);

    /// <summary>
    /// Writes <c>{"object": objectId, "method": method, "params": [args...], "kwargs": {...}}</c> (keys in this order,
    /// kwargs <c>null</c> when <paramref name="kwargs"/> is null), as Pyro4's <c>JsonSerializer.dumpsCall</c> does.
    /// </summary>
    public override void SerializeCall(IBufferWriter<byte> output, string objectId, string method, IReadOnlyList<object?> args, IReadOnlyDictionary<string, object?>? kwargs)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(objectId);
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(args);
        var writer = new JsonValueWriter(output, MaxDepth);
        writer.WriteCall(objectId, method, args, kwargs);
        writer.Flush();
    }
}
