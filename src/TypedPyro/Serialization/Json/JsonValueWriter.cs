using System.Buffers;
using System.Buffers.Text;
using System.Collections;
using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Text.Unicode;

namespace TypedPyro.Serialization;

/// <summary>
/// Writes values exactly as Python's <c>json.dumps(obj, ensure_ascii=False)</c> (Pyro4's JsonSerializer) does,
/// UTF-8 encoded, straight into an <see cref="IBufferWriter{T}"/>.
/// </summary>
/// <remarks>
/// System.Text.Json's <c>Utf8JsonWriter</c> cannot be used: it has no <c>", "</c>/<c>": "</c> separators, quotes
/// NaN/Infinity, and escapes characters Python writes raw. This is a small hand-written emitter instead (no reflection).
/// </remarks>
internal ref struct JsonValueWriter
{
    private const int MinBufferSize = 4096;

    // Characters that leave the fast transcoding path: controls, quote, backslash and UTF-16 surrogates
    // (pairs are transcoded, lone ones escaped).
    private static readonly SearchValues<char> s_special = SearchValues.Create(BuildSpecial());

    private readonly IBufferWriter<byte> _output;
    private readonly int _maxDepth;
    private Span<byte> _buffer;
    private int _pos;

    public JsonValueWriter(IBufferWriter<byte> output, int maxDepth)
    {
        _output = output;
        _maxDepth = maxDepth;
        _buffer = default;
        _pos = 0;
    }

    private static string BuildSpecial()
    {
        var chars = new char[0x20 + 2 + 0x800];
        int n = 0;
        for (int c = 0; c < 0x20; c++) chars[n++] = (char)c;
        chars[n++] = '"';
        chars[n++] = '\\';
        for (int c = 0xD800; c <= 0xDFFF; c++) chars[n++] = (char)c;
        return new string(chars);
    }

    /// <summary>Commits everything written so far to the output.</summary>
    public void Flush()
    {
        if (_pos > 0) _output.Advance(_pos);
        _buffer = default;
        _pos = 0;
    }

    private Span<byte> Reserve(int size)
    {
        if (_buffer.Length - _pos < size) Grow(size);
        return _buffer[_pos..];
    }

    private void Grow(int size)
    {
        Flush();
        _buffer = _output.GetSpan(Math.Max(size, MinBufferSize));
        if (_buffer.Length < size) throw new InvalidOperationException("The buffer writer returned a span smaller than requested.");
    }

    private void WriteByte(byte value)
    {
        if (_pos >= _buffer.Length) Grow(1);
        _buffer[_pos++] = value;
    }

    public void WriteAscii(scoped ReadOnlySpan<byte> text)
    {
        text.CopyTo(Reserve(text.Length));
        _pos += text.Length;
    }

    private void WriteAsciiChars(scoped ReadOnlySpan<char> text)
    {
        Span<byte> span = Reserve(text.Length);
        for (int i = 0; i < text.Length; i++) span[i] = (byte)text[i];
        _pos += text.Length;
    }

    // ---------------------------------------------------------------- values

    /// <summary>Writes one value (and everything inside it).</summary>
    public void WriteValue(object? value, int depth)
    {
        switch (value)
        {
            case null: WriteAscii("null"u8); return;
            case string s: WriteString(s); return;
            case bool b: WriteAscii(b ? "true"u8 : "false"u8); return;
            case int i: WriteInt64(i); return;
            case long l: WriteInt64(l); return;
            case double d: WriteDouble(d); return;
            case PyTuple tuple: WriteSequence(tuple.AsSpan(), depth); return;
            case List<object?> list: WriteSequence(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(list), depth); return;
            case Dictionary<object, object?> map: WriteDictionary(map, depth); return;
            case IPyroWireValue wire: WriteWireValue(wire, depth); return;
            case short v: WriteInt64(v); return;
            case sbyte v: WriteInt64(v); return;
            case byte v: WriteInt64(v); return;
            case ushort v: WriteInt64(v); return;
            case uint v: WriteInt64(v); return;
            case ulong v: WriteUInt64(v); return;
            case nint v: WriteInt64(v); return;
            case nuint v: WriteUInt64(v); return;
            case Int128 v: WriteBigInteger(v); return;
            case UInt128 v: WriteBigInteger(v); return;
            case BigInteger v: WriteBigInteger(v); return;
            case float v: WriteDouble(JsonValueWriterHelpers.Widen(v)); return;
            case Half v: WriteDouble(JsonValueWriterHelpers.Widen(v)); return;
            case decimal v: WriteString(JsonPyFormat.FormatDecimal(v)); return;
            case char c: WriteString([c]); return;
            case char[] chars: WriteString(chars); return; // like Python's array('u'): a str
            case Guid g: WriteGuid(g); return;
            case DateTime dt: WriteDateTime(dt); return;
            case DateTimeOffset dto: WriteDateTimeOffset(dto); return;
            case DateOnly date: WriteDate(date); return;
            case Enum e: WriteEnum(e); return;
            case byte[] or ReadOnlyMemory<byte> or Memory<byte> or ArraySegment<byte>:
                throw new SerializeException(
                    $"cannot serialize {JsonValueWriterHelpers.TypeName(value)}: Pyro4's json serializer cannot carry bytes " +
                    "(Python's json refuses bytes too); use serpent or marshal, or send the data as a base64 string");
            case Complex:
                throw new SerializeException("cannot serialize System.Numerics.Complex: Pyro4's json serializer cannot carry complex numbers (Python's json refuses them too)");
            case TimeSpan or TimeOnly:
                throw new SerializeException(
                    $"cannot serialize {JsonValueWriterHelpers.TypeName(value)}: Pyro4's json serializer cannot carry time or timedelta values " +
                    "(Python's json refuses them too); send seconds or an ISO string instead");
            case IDictionary dictionary: WriteDictionary(dictionary, depth); return;
            case IEnumerable<KeyValuePair<string, object?>> pairs: WriteDictionary(pairs, depth); return;
            case IEnumerable<KeyValuePair<object, object?>> pairs: WriteDictionary(pairs, depth); return;
            case IList list: WriteList(list, depth); return;
            case IEnumerable items: WriteEnumerable(items, depth); return;
            case var _ when PyroWireReferences.Resolve(value) is { } reference: WriteWireValue(reference, depth); return;
            default:
                throw new SerializeException($"don't know how to serialize {JsonValueWriterHelpers.TypeName(value)} with the json serializer");
        }
    }

    private void Enter(int depth)
    {
        if (depth >= _maxDepth)
            throw new SerializeException($"cannot serialize: nesting deeper than {_maxDepth} levels (or a circular reference)");
        if (!RuntimeHelpers.TryEnsureSufficientExecutionStack())
            throw new SerializeException("cannot serialize: nesting too deep for the current stack (or a circular reference)");
    }

    private void WriteWireValue(IPyroWireValue wire, int depth)
    {
        Enter(depth);
        WriteValue(wire.ToWireValue(), depth + 1);
    }

    private void WriteSequence(ReadOnlySpan<object?> items, int depth)
    {
        Enter(depth);
        WriteByte((byte)'[');
        for (int i = 0; i < items.Length; i++)
        {
            if (i > 0) WriteAscii(", "u8);
            WriteValue(items[i], depth + 1);
        }
        WriteByte((byte)']');
    }

    private void WriteList(IList items, int depth)
    {
        Enter(depth);
        WriteByte((byte)'[');
        int count = items.Count;
        for (int i = 0; i < count; i++)
        {
            if (i > 0) WriteAscii(", "u8);
            WriteValue(items[i], depth + 1);
        }
        WriteByte((byte)']');
    }

    private void WriteEnumerable(IEnumerable items, int depth)
    {
        Enter(depth);
        WriteByte((byte)'[');
        bool first = true;
        foreach (object? item in items)
        {
            if (!first) WriteAscii(", "u8);
            first = false;
            WriteValue(item, depth + 1);
        }
        WriteByte((byte)']');
    }

    private void WriteDictionary(Dictionary<object, object?> map, int depth)
    {
        Enter(depth);
        WriteByte((byte)'{');
        bool first = true;
        foreach (var (key, item) in map)
        {
            if (!first) WriteAscii(", "u8);
            first = false;
            WriteKey(key);
            WriteAscii(": "u8);
            WriteValue(item, depth + 1);
        }
        WriteByte((byte)'}');
    }

    private void WriteDictionary(IDictionary map, int depth)
    {
        Enter(depth);
        WriteByte((byte)'{');
        bool first = true;
        IDictionaryEnumerator e = map.GetEnumerator();
        try
        {
            while (e.MoveNext())
            {
                if (!first) WriteAscii(", "u8);
                first = false;
                WriteKey(e.Key);
                WriteAscii(": "u8);
                WriteValue(e.Value, depth + 1);
            }
        }
        finally
        {
            (e as IDisposable)?.Dispose();
        }
        WriteByte((byte)'}');
    }

    private void WriteDictionary<TKey>(IEnumerable<KeyValuePair<TKey, object?>> pairs, int depth)
    {
        Enter(depth);
        WriteByte((byte)'{');
        bool first = true;
        foreach (var pair in pairs)
        {
            if (!first) WriteAscii(", "u8);
            first = false;
            WriteKey(pair.Key);
            WriteAscii(": "u8);
            WriteValue(pair.Value, depth + 1);
        }
        WriteByte((byte)'}');
    }

    /// <summary>The start of a call object, up to the opening bracket of its params.</summary>
    public void WriteCallStart(string objectId, string method)
    {
        WriteAscii("{\"object\": "u8);
        WriteString(objectId);
        WriteAscii(", \"method\": "u8);
        WriteString(method);
        WriteAscii(", \"params\": ["u8);
    }

    /// <summary>The end of a call object without keyword arguments.</summary>
    public void WriteCallEnd() => WriteAscii("], \"kwargs\": {}}"u8);

    /// <summary>Writes the json object <c>{"object": ..., "method": ..., "params": [...], "kwargs": {...}}</c> of a call.</summary>
    public void WriteCall(string objectId, string method, IReadOnlyList<object?> args, IReadOnlyDictionary<string, object?>? kwargs)
    {
        WriteCallStart(objectId, method);
        int count = args.Count;
        for (int i = 0; i < count; i++)
        {
            if (i > 0) WriteAscii(", "u8);
            WriteValue(args[i], 2);
        }
        WriteAscii("], \"kwargs\": "u8);
        if (kwargs is null) WriteAscii("null"u8);
        else WriteDictionary(kwargs, 1);
        WriteByte((byte)'}');
    }

    /// <summary>
    /// A dict key: Python's json keeps str keys and converts int, float, bool and None keys to strings
    /// (<c>"1"</c>, <c>"2.5"</c>, <c>"true"</c>, <c>"null"</c>); any other key type is a TypeError.
    /// </summary>
    private void WriteKey(object? key)
    {
        switch (key)
        {
            case string s: WriteString(s); return;
            case char c: WriteString([c]); return;
            case null: WriteAscii("\"null\""u8); return;
            case bool b: WriteAscii(b ? "\"true\""u8 : "\"false\""u8); return;
            case int or long or short or sbyte or byte or ushort or uint or ulong or nint or nuint or Int128 or UInt128 or BigInteger
                or double or float or Half or Enum:
                WriteByte((byte)'"');
                WriteValue(key, 0);
                WriteByte((byte)'"');
                return;
            default:
                throw new SerializeException(
                    $"cannot serialize a dict with a key of type {(key is PyTuple ? "tuple" : JsonValueWriterHelpers.TypeName(key))}: " +
                    "json keys must be str, int, float, bool or None");
        }
    }

    // ---------------------------------------------------------------- scalars

    public void WriteInt64(long value)
    {
        Span<byte> span = Reserve(20);
        Utf8Formatter.TryFormat(value, span, out int written);
        _pos += written;
    }

    private void WriteUInt64(ulong value)
    {
        Span<byte> span = Reserve(20);
        Utf8Formatter.TryFormat(value, span, out int written);
        _pos += written;
    }

    private void WriteBigInteger(BigInteger value)
    {
        if (value >= long.MinValue && value <= long.MaxValue)
        {
            WriteInt64((long)value);
            return;
        }
        WriteAsciiChars(JsonPyFormat.FormatBigInteger(value));
    }

    public void WriteDouble(double value)
    {
        if (double.IsNaN(value)) { WriteAscii("NaN"u8); return; }
        if (double.IsPositiveInfinity(value)) { WriteAscii("Infinity"u8); return; }
        if (double.IsNegativeInfinity(value)) { WriteAscii("-Infinity"u8); return; }
        Span<char> chars = stackalloc char[40];
        int length = PythonFloat.Format(value, chars);
        WriteAsciiChars(chars[..length]);
    }

    private void WriteEnum(Enum value)
    {
        // Python's json refuses enums; TypedPyro sends the underlying integer (what serpent sends for Python IntEnums).
        if (((IConvertible)value).GetTypeCode() == TypeCode.UInt64) WriteUInt64(Convert.ToUInt64(value, CultureInfo.InvariantCulture));
        else WriteInt64(Convert.ToInt64(value, CultureInfo.InvariantCulture));
    }

    private void WriteGuid(Guid value)
    {
        Span<byte> span = Reserve(38);
        span[0] = (byte)'"';
        value.TryFormat(span[1..], out int written, "D");
        span[1 + written] = (byte)'"';
        _pos += written + 2;
    }

    private void WriteDateTime(DateTime value)
    {
        Span<char> chars = stackalloc char[JsonPyFormat.MaxDateTimeLength];
        WriteQuotedAscii(chars[..JsonPyFormat.FormatDateTime(value, chars)]);
    }

    private void WriteDateTimeOffset(DateTimeOffset value)
    {
        Span<char> chars = stackalloc char[JsonPyFormat.MaxDateTimeLength];
        WriteQuotedAscii(chars[..JsonPyFormat.FormatDateTimeOffset(value, chars)]);
    }

    private void WriteDate(DateOnly value)
    {
        Span<char> chars = stackalloc char[10];
        WriteQuotedAscii(chars[..JsonPyFormat.FormatDate(value, chars)]);
    }

    private void WriteQuotedAscii(scoped ReadOnlySpan<char> text)
    {
        WriteByte((byte)'"');
        WriteAsciiChars(text);
        WriteByte((byte)'"');
    }

    /// <summary>
    /// A json string as Python's encoder writes it with <c>ensure_ascii=False</c>: raw UTF-8 except <c>"</c>, <c>\</c>,
    /// <c>\n \r \t \b \f</c> and other controls below 0x20 (<c>\u00XX</c>, lower-case hex). Lone UTF-16 surrogates
    /// (which Python could not even encode to UTF-8) are written as <c>\udXXX</c> escapes, which Python's json.loads
    /// reads back into the same lone surrogate.
    /// </summary>
    public void WriteString(scoped ReadOnlySpan<char> text)
    {
        WriteByte((byte)'"');
        while (!text.IsEmpty)
        {
            int special = text.IndexOfAny(s_special);
            ReadOnlySpan<char> run = special < 0 ? text : text[..special];
            if (!run.IsEmpty) WriteTranscoded(run);
            if (special < 0) break;

            char c = text[special];
            if (char.IsHighSurrogate(c) && special + 1 < text.Length && char.IsLowSurrogate(text[special + 1]))
            {
                Span<byte> span = Reserve(4);
                Utf8.FromUtf16(text.Slice(special, 2), span, out _, out int written);
                _pos += written;
                text = text[(special + 2)..];
                continue;
            }
            WriteEscape(c);
            text = text[(special + 1)..];
        }
        WriteByte((byte)'"');
    }

    private void WriteTranscoded(scoped ReadOnlySpan<char> run)
    {
        while (true)
        {
            // Reserve a chunk; a char needs at most 3 UTF-8 bytes here (surrogates never reach this method).
            Span<byte> span = Reserve(ChunkSize(run.Length));
            OperationStatus status = Utf8.FromUtf16(run, span, out int read, out int written, replaceInvalidSequences: false, isFinalBlock: true);
            _pos += written;
            if (status == OperationStatus.Done) return;
            if (status != OperationStatus.DestinationTooSmall) throw new InvalidOperationException("unexpected transcoding status " + status);
            run = run[read..];
            Grow(ChunkSize(run.Length));
        }
    }

    private static int ChunkSize(int chars) => chars > (1 << 14) ? 1 << 16 : Math.Max(chars * 3, 3);

    private void WriteEscape(char c)
    {
        ReadOnlySpan<byte> escape = c switch
        {
            '"' => "\\\""u8,
            '\\' => "\\\\"u8,
            '\n' => "\\n"u8,
            '\r' => "\\r"u8,
            '\t' => "\\t"u8,
            '\b' => "\\b"u8,
            '\f' => "\\f"u8,
            _ => default,
        };
        if (!escape.IsEmpty)
        {
            WriteAscii(escape);
            return;
        }
        Span<byte> span = Reserve(6);
        span[0] = (byte)'\\';
        span[1] = (byte)'u';
        ((int)c).TryFormat(span[2..6], out _, "x4", CultureInfo.InvariantCulture);
        _pos += 6;
    }
}

/// <summary>Small helpers of <see cref="JsonValueWriter"/> (a ref struct cannot hold static helpers used elsewhere).</summary>
internal static class JsonValueWriterHelpers
{
    /// <summary>Widens a float to the double of its shortest round-trip text, so 1.1f is sent as 1.1 (not 1.100000023841858).</summary>
    public static double Widen(float value)
    {
        if (!float.IsFinite(value)) return value;
        Span<char> chars = stackalloc char[32];
        value.TryFormat(chars, out int written, "R", CultureInfo.InvariantCulture);
        return double.Parse(chars[..written], NumberStyles.Float, CultureInfo.InvariantCulture);
    }

    /// <summary>Widens a Half the same way as <see cref="Widen(float)"/>.</summary>
    public static double Widen(Half value)
    {
        if (!Half.IsFinite(value)) return (double)value;
        Span<char> chars = stackalloc char[32];
        value.TryFormat(chars, out int written, "R", CultureInfo.InvariantCulture);
        return double.Parse(chars[..written], NumberStyles.Float, CultureInfo.InvariantCulture);
    }

    /// <summary>The .NET type name used in error messages.</summary>
    public static string TypeName(object value) => value.GetType().FullName ?? value.GetType().Name;
}
