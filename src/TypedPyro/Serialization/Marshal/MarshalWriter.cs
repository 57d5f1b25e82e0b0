using System.Buffers;
using System.Buffers.Binary;
using System.Collections;
using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Unicode;

namespace TypedPyro.Serialization;

/// <summary>
/// Writes Python <c>marshal</c> version 4 data for plain values.
/// </summary>
/// <remarks>
/// CPython decides per object whether to set the FLAG_REF bit (0x80) from its reference count, and whether a str is
/// "interned" (<c>Z</c>/<c>A</c>/<c>t</c>) from its history; neither is visible to a reader except through <c>r</c>
/// back-references, which this writer never emits. The writer follows what Pyro4 produces in practice: str, int,
/// float, complex and bytes values get FLAG_REF (<c>fa</c>, <c>e9</c>, ...), lists, dicts and sets get it too, tuples
/// do not (Pyro's call and BLBI tuples are temporaries: <c>29 ..</c>); strings are interned only where Pyro's are
/// (the method name of a call or of a BLBI annotation, which Python takes from an identifier).
/// </remarks>
internal ref struct MarshalWriter
{
    private const int MinBufferSize = 1024;
    private const byte FlagRef = 0x80;

    private readonly IBufferWriter<byte> _output;
    private readonly int _maxDepth;
    private Span<byte> _buffer;
    private int _pos;

    public MarshalWriter(IBufferWriter<byte> output, int maxDepth)
    {
        _output = output;
        _maxDepth = maxDepth;
        _buffer = default;
        _pos = 0;
    }

    public void Flush()
    {
        if (_pos > 0) _output.Advance(_pos);
        _buffer = default;
        _pos = 0;
    }

    private Span<byte> Reserve(int size)
    {
        if (_buffer.Length - _pos < size)
        {
            Flush();
            _buffer = _output.GetSpan(Math.Max(size, MinBufferSize));
            if (_buffer.Length < size) throw new InvalidOperationException("The buffer writer returned a span smaller than requested.");
        }
        return _buffer[_pos..];
    }

    private void WriteByte(byte value)
    {
        Reserve(1)[0] = value;
        _pos++;
    }

    private void WriteInt32(int value)
    {
        BinaryPrimitives.WriteInt32LittleEndian(Reserve(4), value);
        _pos += 4;
    }

    private void WriteRaw(scoped ReadOnlySpan<byte> bytes)
    {
        while (!bytes.IsEmpty)
        {
            int chunk = Math.Min(bytes.Length, 1 << 16);
            bytes[..chunk].CopyTo(Reserve(chunk));
            _pos += chunk;
            bytes = bytes[chunk..];
        }
    }

    private void Enter(int depth)
    {
        if (depth >= _maxDepth)
            throw new SerializeException($"cannot serialize: nesting deeper than {_maxDepth} levels (or a circular reference)");
        if (!RuntimeHelpers.TryEnsureSufficientExecutionStack())
            throw new SerializeException("cannot serialize: nesting too deep for the current stack (or a circular reference)");
    }

    public void WriteValue(object? value, int depth)
    {
        switch (value)
        {
            case null: WriteByte((byte)'N'); return;
            case bool b: WriteByte(b ? (byte)'T' : (byte)'F'); return;
            case string s: WriteString(s, interned: false); return;
            case int v: WriteInt64(v); return;
            case long v: WriteInt64(v); return;
            case double v: WriteDouble(v); return;
            case PyTuple tuple: WriteTuple(tuple.AsSpan(), depth); return;
            case IPyroWireValue wire:
                Enter(depth);
                WriteValue(wire.ToWireValue(), depth + 1);
                return;
            case short v: WriteInt64(v); return;
            case sbyte v: WriteInt64(v); return;
            case byte v: WriteInt64(v); return;
            case ushort v: WriteInt64(v); return;
            case uint v: WriteInt64(v); return;
            case ulong v: WriteBigInteger(v); return;
            case nint v: WriteInt64(v); return;
            case nuint v: WriteBigInteger(v); return;
            case Int128 v: WriteBigInteger(v); return;
            case UInt128 v: WriteBigInteger(v); return;
            case BigInteger v: WriteBigInteger(v); return;
            case float v: WriteDouble(JsonValueWriterHelpers.Widen(v)); return;
            case Half v: WriteDouble(JsonValueWriterHelpers.Widen(v)); return;
            case Complex v:
                {
                    Span<byte> span = Reserve(17);
                    span[0] = (byte)'y' | FlagRef;
                    BinaryPrimitives.WriteDoubleLittleEndian(span[1..], v.Real);
                    BinaryPrimitives.WriteDoubleLittleEndian(span[9..], v.Imaginary);
                    _pos += 17;
                    return;
                }
            case decimal v: WriteString(JsonPyFormat.FormatDecimal(v), interned: false); return;
            case char c: WriteString(c.ToString(), interned: false); return;
            case char[] chars: WriteString(new string(chars), interned: false); return; // like Pyro's array('u') -> str
            case Guid g: WriteString(g.ToString("D"), interned: false); return;
            case DateTime dt:
                {
                    Span<char> chars = stackalloc char[JsonPyFormat.MaxDateTimeLength];
                    WriteString(new string(chars[..JsonPyFormat.FormatDateTime(dt, chars)]), interned: false);
                    return;
                }
            case DateTimeOffset dto:
                {
                    Span<char> chars = stackalloc char[JsonPyFormat.MaxDateTimeLength];
                    WriteString(new string(chars[..JsonPyFormat.FormatDateTimeOffset(dto, chars)]), interned: false);
                    return;
                }
            case DateOnly date:
                {
                    Span<char> chars = stackalloc char[10];
                    WriteString(new string(chars[..JsonPyFormat.FormatDate(date, chars)]), interned: false);
                    return;
                }
            case Enum e:
                if (((IConvertible)e).GetTypeCode() == TypeCode.UInt64) WriteBigInteger(Convert.ToUInt64(e, CultureInfo.InvariantCulture));
                else WriteInt64(Convert.ToInt64(e, CultureInfo.InvariantCulture));
                return;
            case byte[] bytes: WriteBytes(bytes); return;
            case ReadOnlyMemory<byte> memory: WriteBytes(memory.Span); return;
            case Memory<byte> memory: WriteBytes(memory.Span); return;
            case ArraySegment<byte> segment: WriteBytes(segment); return;
            case TimeSpan or TimeOnly:
                throw new SerializeException(
                    $"cannot serialize {JsonValueWriterHelpers.TypeName(value)} with marshal (Pyro4's marshal serializer cannot carry time or timedelta values either)");
            case IDictionary dictionary: WriteDictionary(dictionary, depth); return;
            case IEnumerable<KeyValuePair<string, object?>> pairs: WriteDictionary(pairs, depth); return;
            case IEnumerable<KeyValuePair<object, object?>> pairs: WriteDictionary(pairs, depth); return;
            case Array array: WriteTuple(array, depth); return; // arrays are tuples (the Razorvine/Pyrolite convention)
            case IEnumerable items when IsSet(items): WriteCollection((byte)'<', items, depth); return;
            case IEnumerable items: WriteCollection((byte)'[', items, depth); return;
            default:
                throw new SerializeException($"don't know how to serialize {JsonValueWriterHelpers.TypeName(value)} with the marshal serializer");
        }
    }

    private static bool IsSet(IEnumerable items)
    {
        if (items is ISet<object?> or IReadOnlySet<object?>) return true;
        for (Type? type = items.GetType(); type is not null && type != typeof(object); type = type.BaseType)
        {
            if (!type.IsGenericType) continue;
            Type definition = type.GetGenericTypeDefinition();
            if (definition == typeof(HashSet<>) || definition == typeof(SortedSet<>) || definition == typeof(FrozenSet<>)
                || definition == typeof(ImmutableHashSet<>) || definition == typeof(ImmutableSortedSet<>))
            {
                return true;
            }
        }
        return false;
    }

    // ---------------------------------------------------------------- containers

    public void WriteTuple(scoped ReadOnlySpan<object?> items, int depth)
    {
        Enter(depth);
        WriteTupleHeader(items.Length);
        foreach (object? item in items) WriteValue(item, depth + 1);
    }

    private void WriteTuple(Array items, int depth)
    {
        Enter(depth);
        WriteTupleHeader(items.Length);
        foreach (object? item in items) WriteValue(item, depth + 1);
    }

    public void WriteTupleHeader(int count)
    {
        if (count < 256)
        {
            Span<byte> span = Reserve(2);
            span[0] = (byte)')';
            span[1] = (byte)count;
            _pos += 2;
        }
        else
        {
            WriteByte((byte)'(');
            WriteInt32(count);
        }
    }

    /// <summary>A list (<c>[</c>) or set (<c>&lt;</c>); the count is patched in after the items.</summary>
    private void WriteCollection(byte code, IEnumerable items, int depth)
    {
        Enter(depth);
        if (items is ICollection collection)
        {
            WriteByte((byte)(code | FlagRef));
            WriteInt32(collection.Count);
            int written = 0;
            foreach (object? item in collection)
            {
                WriteValue(item, depth + 1);
                written++;
            }
            if (written != collection.Count) throw new SerializeException("collection changed while being serialized");
            return;
        }
        // Unknown length: buffer the items first.
        var list = new List<object?>();
        foreach (object? item in items) list.Add(item);
        WriteByte((byte)(code | FlagRef));
        WriteInt32(list.Count);
        foreach (object? item in list) WriteValue(item, depth + 1);
    }

    public void WriteList(IReadOnlyList<object?> items, int depth)
    {
        Enter(depth);
        WriteByte((byte)'[' | FlagRef);
        WriteInt32(items.Count);
        for (int i = 0; i < items.Count; i++) WriteValue(items[i], depth + 1);
    }

    private void WriteDictionary(IDictionary map, int depth)
    {
        Enter(depth);
        WriteByte((byte)'{' | FlagRef);
        IDictionaryEnumerator e = map.GetEnumerator();
        try
        {
            while (e.MoveNext())
            {
                WriteValue(e.Key, depth + 1);
                WriteValue(e.Value, depth + 1);
            }
        }
        finally
        {
            (e as IDisposable)?.Dispose();
        }
        WriteByte((byte)'0');
    }

    public void WriteDictionary<TKey>(IEnumerable<KeyValuePair<TKey, object?>> pairs, int depth)
    {
        Enter(depth);
        WriteByte((byte)'{' | FlagRef);
        foreach (var pair in pairs)
        {
            WriteValue(pair.Key, depth + 1);
            WriteValue(pair.Value, depth + 1);
        }
        WriteByte((byte)'0');
    }

    // ---------------------------------------------------------------- scalars

    private void WriteInt64(long value)
    {
        if (value is >= int.MinValue and <= int.MaxValue)
        {
            Span<byte> span = Reserve(5);
            span[0] = (byte)'i' | FlagRef;
            BinaryPrimitives.WriteInt32LittleEndian(span[1..], (int)value);
            _pos += 5;
            return;
        }
        WriteBigInteger(value);
    }

    /// <summary>Marshal's <c>l</c>: digit count (negative for negative values), then 15-bit digits, least significant first.</summary>
    private void WriteBigInteger(BigInteger value)
    {
        if (value >= int.MinValue && value <= int.MaxValue)
        {
            WriteInt64((long)value);
            return;
        }
        BigInteger magnitude = BigInteger.Abs(value);
        long bits = magnitude.GetBitLength();
        long digitCount = (bits + 14) / 15;
        if (digitCount > int.MaxValue / 2) throw new SerializeException("integer too large for marshal");
        byte[] bytes = magnitude.ToByteArray(isUnsigned: true, isBigEndian: false);

        WriteByte((byte)'l' | FlagRef);
        WriteInt32(value.Sign < 0 ? -(int)digitCount : (int)digitCount);
        long bit = 0;
        for (long i = 0; i < digitCount; i++, bit += 15)
        {
            int byteIndex = (int)(bit >> 3);
            int chunk = bytes[byteIndex];
            if (byteIndex + 1 < bytes.Length) chunk |= bytes[byteIndex + 1] << 8;
            if (byteIndex + 2 < bytes.Length) chunk |= bytes[byteIndex + 2] << 16;
            int digit = (chunk >> (int)(bit & 7)) & 0x7FFF;
            BinaryPrimitives.WriteUInt16LittleEndian(Reserve(2), (ushort)digit);
            _pos += 2;
        }
    }

    private void WriteDouble(double value)
    {
        Span<byte> span = Reserve(9);
        span[0] = (byte)'g' | FlagRef;
        BinaryPrimitives.WriteDoubleLittleEndian(span[1..], value);
        _pos += 9;
    }

    private void WriteBytes(scoped ReadOnlySpan<byte> bytes)
    {
        WriteByte((byte)'s' | FlagRef);
        WriteInt32(bytes.Length);
        WriteRaw(bytes);
    }

    /// <summary>
    /// A str as CPython writes it: ASCII -> <c>z</c> (short, &lt; 256 chars) or <c>a</c>; otherwise <c>u</c> with UTF-8
    /// (lone surrogates encoded as <c>surrogatepass</c> does). Interned strings use <c>Z</c>/<c>A</c>/<c>t</c>; the empty
    /// string is always interned, as it is in CPython.
    /// </summary>
    public void WriteString(string text, bool interned)
    {
        // CPython's empty str is a single interned object: marshal.dumps('') is always "da 00".
        if (text.Length == 0) interned = true;
        if (Ascii.IsValid(text))
        {
            if (text.Length < 256)
            {
                Span<byte> span = Reserve(2 + text.Length);
                span[0] = (byte)((interned ? 'Z' : 'z') | FlagRef);
                span[1] = (byte)text.Length;
                Encoding.ASCII.GetBytes(text, span[2..]);
                _pos += 2 + text.Length;
                return;
            }
            WriteByte((byte)((interned ? 'A' : 'a') | FlagRef));
            WriteInt32(text.Length);
        }
        else
        {
            WriteByte((byte)((interned ? 't' : 'u') | FlagRef));
            // A lone surrogate takes 3 bytes under surrogatepass, exactly like the U+FFFD that GetByteCount counts for it.
            WriteInt32(Encoding.UTF8.GetByteCount(text));
        }
        WriteUtf8SurrogatePass(text);
    }

    private void WriteUtf8SurrogatePass(ReadOnlySpan<char> text)
    {
        while (!text.IsEmpty)
        {
            int chunkChars = Math.Min(text.Length, 1 << 14);
            if (chunkChars < text.Length && char.IsHighSurrogate(text[chunkChars - 1])) chunkChars--; // keep pairs together
            Span<byte> span = Reserve(chunkChars * 3);
            OperationStatus status = Utf8.FromUtf16(text[..chunkChars], span, out int read, out int written, replaceInvalidSequences: false, isFinalBlock: true);
            _pos += written;
            text = text[read..];
            if (status == OperationStatus.InvalidData)
            {
                // A lone surrogate: three bytes, as Python's "surrogatepass" error handler writes it.
                char c = text[0];
                Span<byte> lone = Reserve(3);
                lone[0] = (byte)(0xE0 | (c >> 12));
                lone[1] = (byte)(0x80 | ((c >> 6) & 0x3F));
                lone[2] = (byte)(0x80 | (c & 0x3F));
                _pos += 3;
                text = text[1..];
            }
            else if (status != OperationStatus.Done)
            {
                throw new InvalidOperationException("unexpected transcoding status " + status);
            }
        }
    }
}
