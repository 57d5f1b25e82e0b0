using System.Buffers;
using System.Collections;
using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace TypedPyro.Serialization;

/// <summary>
/// Writes one value as serpent text, byte-identical to Python's <c>serpent.dumps(obj, module_in_classname=True)</c>
/// (compact form). Dispatches on the runtime type with pattern matching only (no reflection).
/// </summary>
internal ref struct SerpentWriter
{
    /// <summary>The header line every serpent document starts with.</summary>
    public static ReadOnlySpan<byte> Header => "# serpent utf-8 python3.2\n"u8;

    // Containers deeper than this are remembered so that a circular reference gets a precise error message
    // instead of only hitting the depth limit; shallower levels cost nothing.
    private const int TrackFrom = 48;

    private PythonLiteralWriter _out;
    private readonly int _maxDepth;
    private int _depth;
    private object?[]? _path;

    public SerpentWriter(IBufferWriter<byte> output, int maxDepth)
    {
        _out = new PythonLiteralWriter(output);
        _maxDepth = maxDepth;
        _depth = 0;
        _path = null;
    }

    /// <summary>Writes the header and the value, then commits the output.</summary>
    public void WriteDocument(object? value) => WriteDocument(value, header: true);

    private void WriteDocument(object? value, bool header)
    {
        try
        {
            if (header) _out.WriteRaw(Header);
            WriteValue(value);
            _out.Flush();
        }
        finally
        {
            if (_path is not null)
            {
                ArrayPool<object?>.Shared.Return(_path, clearArray: true);
                _path = null;
            }
        }
    }

    /// <summary>Writes one value without the header (an item of a document written piece by piece), then commits it.</summary>
    public void WriteItem(object? value)
    {
        WriteDocument(value, header: false);
    }

    /// <summary>Writes and commits a float.</summary>
    public void WriteFloatItem(double value)
    {
        WriteFloat(value);
        _out.Flush();
    }

    private void WriteValue(object? value)
    {
        switch (value)
        {
            case null: _out.WriteRaw("None"u8); return;
            case string s: _out.WriteStringRepr(s); return;
            case bool b: _out.WriteRaw(b ? "True"u8 : "False"u8); return;
            case int i: _out.WriteInt64(i); return;
            case long l: _out.WriteInt64(l); return;
            case double d: WriteFloat(d); return;
            case PyTuple t: WriteTuple(t, t.AsSpan()); return;
            case byte[] bytes: WriteBytes(bytes); return;
            case IPyroWireValue wire:
                Enter(wire);
                WriteValue(wire.ToWireValue());
                Exit();
                return;
            case List<object?> list: WriteList(list, CollectionsMarshal.AsSpan(list)); return;
            case Dictionary<object, object?> dict: WriteDict(dict); return;
            case Dictionary<string, object?> dict: WriteDict(dict); return;
            case HashSet<object?> set: WriteSet(set); return;
            case object?[] array: WriteList(array, array); return;
            default: WriteOther(value); return;
        }
    }

    private void WriteOther(object value)
    {
        switch (value)
        {
            case BigInteger big: _out.WriteBigInteger(big); return;
            case float f: WriteFloat(f); return;
            case decimal m: WriteDecimal(m); return;
            case char c: _out.WriteStringRepr([c]); return;
            case sbyte v: _out.WriteInt64(v); return;
            case byte v: _out.WriteInt64(v); return;
            case short v: _out.WriteInt64(v); return;
            case ushort v: _out.WriteInt64(v); return;
            case uint v: _out.WriteInt64(v); return;
            case ulong v: _out.WriteUInt64(v); return;
            case Int128 v: _out.WriteInt128(v); return;
            case UInt128 v: _out.WriteUInt128(v); return;
            case Half h: WriteFloat((double)h); return;
            case Complex z: WriteComplex(z); return;
            case Enum e: WriteEnum(e); return;
            case DateTime dt: WriteDateTime(dt); return;
            case DateTimeOffset dto: WriteDateTimeOffset(dto); return;
            case DateOnly date:
                _out.WriteByte((byte)'\'');
                _out.WriteFormatted(date, "yyyy'-'MM'-'dd", 16);
                _out.WriteByte((byte)'\'');
                return;
            case TimeOnly time:
                _out.WriteByte((byte)'\'');
                WriteTimeOfDay(time.Ticks);
                _out.WriteByte((byte)'\'');
                return;
            case TimeSpan span: WriteTimeSpan(span); return;
            case Guid guid:
                _out.WriteByte((byte)'\'');
                _out.WriteFormatted(guid, "D", 36);
                _out.WriteByte((byte)'\'');
                return;
            case ReadOnlyMemory<byte> rom: WriteBytes(rom.Span); return;
            case Memory<byte> mem: WriteBytes(mem.Span); return;
            case ArraySegment<byte> seg: WriteBytes(seg.AsSpan()); return;
            case IDictionary dict: WriteDict(dict); return;
            case IReadOnlyDictionary<string, object?> dict: WriteDict(dict); return;
            case IReadOnlyDictionary<object, object?> dict: WriteDict(dict); return;
            case IDictionary<string, object?> dict: WriteDict(dict); return;
            case IList list: WriteList(list); return;
            case ITuple tuple: WriteTuple(tuple); return;
            case IEnumerable sequence:
                if (!TryWriteSet(sequence)) WriteEnumerable(sequence);
                return;
            case var _ when PyroWireReferences.Resolve(value) is { } reference:
                WriteValue(reference);
                return;
            default:
                throw new SerializeException(
                    $"serpent: cannot serialize a value of type {value.GetType().FullName}; convert it to the untyped object model " +
                    "(dict, list, tuple, str, numbers) or implement IPyroWireValue");
        }
    }

    // ---- containers -------------------------------------------------------------------------------------------

    private void Enter(object container)
    {
        int depth = ++_depth;
        if (depth > _maxDepth)
        {
            throw new SerializeException(
                $"serpent: object graph nesting deeper than {_maxDepth} levels (Python's serpent refuses this too)");
        }
        if (depth >= TrackFrom)
        {
            _path ??= ArrayPool<object?>.Shared.Rent(Math.Max(16, _maxDepth - TrackFrom + 2));
            int slot = depth - TrackFrom;
            for (int i = 0; i < slot; i++)
            {
                if (ReferenceEquals(_path[i], container))
                    throw new SerializeException($"serpent: circular reference detected ({container.GetType().Name} contains itself)");
            }
            _path[slot] = container;
        }
        if (!RuntimeHelpers.TryEnsureSufficientExecutionStack())
            throw new SerializeException("serpent: object graph nesting too deep for the current thread's stack");
    }

    private void Exit()
    {
        if (_depth >= TrackFrom) _path![_depth - TrackFrom] = null;
        _depth--;
    }

    private void WriteTuple(object owner, ReadOnlySpan<object?> items)
    {
        Enter(owner);
        _out.WriteByte((byte)'(');
        for (int i = 0; i < items.Length; i++)
        {
            if (i > 0) _out.WriteByte((byte)',');
            WriteValue(items[i]);
        }
        if (items.Length == 1) _out.WriteByte((byte)',');
        _out.WriteByte((byte)')');
        Exit();
    }

    private void WriteTuple(ITuple tuple)
    {
        Enter(tuple);
        _out.WriteByte((byte)'(');
        int length = tuple.Length;
        for (int i = 0; i < length; i++)
        {
            if (i > 0) _out.WriteByte((byte)',');
            WriteValue(tuple[i]);
        }
        if (length == 1) _out.WriteByte((byte)',');
        _out.WriteByte((byte)')');
        Exit();
    }

    private void WriteList(object owner, ReadOnlySpan<object?> items)
    {
        Enter(owner);
        _out.WriteByte((byte)'[');
        for (int i = 0; i < items.Length; i++)
        {
            if (i > 0) _out.WriteByte((byte)',');
            WriteValue(items[i]);
        }
        _out.WriteByte((byte)']');
        Exit();
    }

    private void WriteList(IList list)
    {
        Enter(list);
        _out.WriteByte((byte)'[');
        int count = list.Count;
        for (int i = 0; i < count; i++)
        {
            if (i > 0) _out.WriteByte((byte)',');
            WriteValue(list[i]);
        }
        _out.WriteByte((byte)']');
        Exit();
    }

    private void WriteEnumerable(IEnumerable sequence)
    {
        Enter(sequence);
        _out.WriteByte((byte)'[');
        bool first = true;
        foreach (object? item in sequence)
        {
            if (!first) _out.WriteByte((byte)',');
            first = false;
            WriteValue(item);
        }
        _out.WriteByte((byte)']');
        Exit();
    }

    private void WriteDict(Dictionary<object, object?> dict)
    {
        Enter(dict);
        _out.WriteByte((byte)'{');
        bool first = true;
        foreach (KeyValuePair<object, object?> entry in dict)
        {
            if (!first) _out.WriteByte((byte)',');
            first = false;
            WriteEntry(entry.Key, entry.Value);
        }
        _out.WriteByte((byte)'}');
        Exit();
    }

    private void WriteDict(Dictionary<string, object?> dict)
    {
        Enter(dict);
        _out.WriteByte((byte)'{');
        bool first = true;
        foreach (KeyValuePair<string, object?> entry in dict)
        {
            if (!first) _out.WriteByte((byte)',');
            first = false;
            _out.WriteStringRepr(entry.Key);
            _out.WriteByte((byte)':');
            WriteValue(entry.Value);
        }
        _out.WriteByte((byte)'}');
        Exit();
    }

    private void WriteDict(IDictionary dict)
    {
        Enter(dict);
        _out.WriteByte((byte)'{');
        bool first = true;
        IDictionaryEnumerator e = dict.GetEnumerator();
        try
        {
            while (e.MoveNext())
            {
                if (!first) _out.WriteByte((byte)',');
                first = false;
                DictionaryEntry entry = e.Entry;
                WriteEntry(entry.Key, entry.Value);
            }
        }
        finally
        {
            (e as IDisposable)?.Dispose();
        }
        _out.WriteByte((byte)'}');
        Exit();
    }

    private void WriteDict<TKey>(IEnumerable<KeyValuePair<TKey, object?>> dict)
    {
        Enter(dict);
        _out.WriteByte((byte)'{');
        bool first = true;
        foreach (KeyValuePair<TKey, object?> entry in dict)
        {
            if (!first) _out.WriteByte((byte)',');
            first = false;
            WriteEntry(entry.Key, entry.Value);
        }
        _out.WriteByte((byte)'}');
        Exit();
    }

    private void WriteEntry(object? key, object? value)
    {
        CheckHashable(key, "dict key");
        WriteValue(key);
        _out.WriteByte((byte)':');
        WriteValue(value);
    }

    private void WriteSet(HashSet<object?> set) => WriteSetItems(set, set.Count);

    private void WriteSetItems(IEnumerable items, int count)
    {
        if (count == 0)
        {
            _out.WriteRaw("()"u8);
            return;
        }
        Enter(items);
        _out.WriteByte((byte)'{');
        bool first = true;
        foreach (object? item in items)
        {
            if (!first) _out.WriteByte((byte)',');
            first = false;
            CheckHashable(item, "set element");
            WriteValue(item);
        }
        _out.WriteByte((byte)'}');
        Exit();
    }

    /// <summary>
    /// Sets have no non-generic interface, so the common element types are listed explicitly (no reflection).
    /// Sets of other element types are written as lists.
    /// </summary>
    private bool TryWriteSet(IEnumerable sequence)
    {
        switch (sequence)
        {
            case IReadOnlySet<object?> s: WriteSetItems(s, s.Count); return true;
            case ISet<object?> s: WriteSetItems(s, s.Count); return true;
            case IReadOnlySet<string> s: WriteSetItems(s, s.Count); return true;
            case ISet<string> s: WriteSetItems(s, s.Count); return true;
            case IReadOnlySet<int> s: WriteSetItems(s, s.Count); return true;
            case ISet<int> s: WriteSetItems(s, s.Count); return true;
            case IReadOnlySet<long> s: WriteSetItems(s, s.Count); return true;
            case ISet<long> s: WriteSetItems(s, s.Count); return true;
            case IReadOnlySet<double> s: WriteSetItems(s, s.Count); return true;
            case ISet<double> s: WriteSetItems(s, s.Count); return true;
            case IReadOnlySet<bool> s: WriteSetItems(s, s.Count); return true;
            case ISet<bool> s: WriteSetItems(s, s.Count); return true;
            case IReadOnlySet<char> s: WriteSetItems(s, s.Count); return true;
            case ISet<char> s: WriteSetItems(s, s.Count); return true;
            case IReadOnlySet<short> s: WriteSetItems(s, s.Count); return true;
            case ISet<short> s: WriteSetItems(s, s.Count); return true;
            case IReadOnlySet<byte> s: WriteSetItems(s, s.Count); return true;
            case ISet<byte> s: WriteSetItems(s, s.Count); return true;
            case IReadOnlySet<uint> s: WriteSetItems(s, s.Count); return true;
            case ISet<uint> s: WriteSetItems(s, s.Count); return true;
            case IReadOnlySet<ulong> s: WriteSetItems(s, s.Count); return true;
            case ISet<ulong> s: WriteSetItems(s, s.Count); return true;
            case IReadOnlySet<float> s: WriteSetItems(s, s.Count); return true;
            case ISet<float> s: WriteSetItems(s, s.Count); return true;
            case IReadOnlySet<decimal> s: WriteSetItems(s, s.Count); return true;
            case ISet<decimal> s: WriteSetItems(s, s.Count); return true;
            case IReadOnlySet<BigInteger> s: WriteSetItems(s, s.Count); return true;
            case ISet<BigInteger> s: WriteSetItems(s, s.Count); return true;
            case IReadOnlySet<PyTuple> s: WriteSetItems(s, s.Count); return true;
            case ISet<PyTuple> s: WriteSetItems(s, s.Count); return true;
            default: return false;
        }
    }

    /// <summary>
    /// Python serpent only accepts bool, bytes, str, tuple, numbers and enums as dict keys and set elements
    /// (<c>_check_hashable_type</c>); the .NET types that map to those are accepted here.
    /// </summary>
    private static void CheckHashable(object? key, string what)
    {
        switch (key)
        {
            case string or bool or int or long or double or PyTuple or char or BigInteger or float or decimal:
            case sbyte or byte or short or ushort or uint or ulong or Int128 or UInt128 or Half or Complex or Enum:
            case byte[] or ReadOnlyMemory<byte> or Memory<byte> or ArraySegment<byte> or ITuple:
                return;
            default:
                throw new SerializeException(
                    $"serpent: a {what} must be str, bool, a number, bytes or a tuple (Python serpent refuses others), not {(key is null ? "None" : key.GetType().FullName)}");
        }
    }

    // ---- scalars ----------------------------------------------------------------------------------------------

    public void WriteFloat(double d)
    {
        if (double.IsFinite(d)) _out.WriteFiniteDouble(d);
        else if (double.IsNaN(d)) _out.WriteRaw("{'__class__':'float','value':'nan'}"u8);
        else _out.WriteRaw(d > 0 ? "1e30000"u8 : "-1e30000"u8);
    }

    private void WriteComplex(Complex z)
    {
        if (double.IsNaN(z.Real) || double.IsNaN(z.Imaginary))
            throw new SerializeException("serpent: a complex number with a NaN part has no literal form (Python serpent writes unreadable text for it)");
        _out.WriteByte((byte)'(');
        WriteFloat(z.Real);
        double imag = z.Imaginary;
        // Python writes "+" when imag >= 0, which gives the unreadable "+-0.0j" for a negative zero; write "-0.0j" instead.
        if (imag > 0 || (imag == 0 && !double.IsNegative(imag))) _out.WriteByte((byte)'+');
        WriteFloat(imag);
        _out.WriteRaw("j)"u8);
    }

    private void WriteBytes(ReadOnlySpan<byte> data)
    {
        _out.WriteRaw("{'data': '"u8);
        _out.WriteBase64(data);
        _out.WriteRaw("', 'encoding': 'base64'}"u8);
    }

    private void WriteEnum(Enum e)
    {
        switch (e.GetTypeCode())
        {
            case TypeCode.UInt64:
                _out.WriteUInt64(Convert.ToUInt64(e, CultureInfo.InvariantCulture));
                break;
            default:
                _out.WriteInt64(Convert.ToInt64(e, CultureInfo.InvariantCulture));
                break;
        }
    }

    private void WriteDecimal(decimal value)
    {
        Span<char> text = stackalloc char[PythonLiteralWriter.MaxDecimalLength];
        int length = PythonLiteralWriter.FormatDecimal(value, text);
        _out.WriteByte((byte)'\'');
        _out.WriteAscii(text[..length]);
        _out.WriteByte((byte)'\'');
    }

    // ---- dates and times (Python isoformat) -------------------------------------------------------------------

    private void WriteDateTime(DateTime dt)
    {
        _out.WriteByte((byte)'\'');
        WriteDateAndTime(dt);
        switch (dt.Kind)
        {
            case DateTimeKind.Utc:
                _out.WriteRaw("+00:00"u8);
                break;
            case DateTimeKind.Local:
                WriteOffset(TimeZoneInfo.Local.GetUtcOffset(dt));
                break;
        }
        _out.WriteByte((byte)'\'');
    }

    private void WriteDateTimeOffset(DateTimeOffset dto)
    {
        _out.WriteByte((byte)'\'');
        WriteDateAndTime(dto.DateTime);
        WriteOffset(dto.Offset);
        _out.WriteByte((byte)'\'');
    }

    private void WriteDateAndTime(DateTime dt)
    {
        _out.WriteFormatted(dt, "yyyy'-'MM'-'dd'T'", 16);
        WriteTimeOfDay(dt.TimeOfDay.Ticks);
    }

    /// <summary><c>HH:MM:SS</c> plus <c>.ffffff</c> when the microseconds are not zero (sub-microsecond ticks are dropped, as Python has none).</summary>
    private void WriteTimeOfDay(long ticks)
    {
        long seconds = Math.DivRem(ticks, TimeSpan.TicksPerSecond, out long fraction);
        int micro = (int)(fraction / 10);
        _out.WritePadded((int)(seconds / 3600), 2);
        _out.WriteByte((byte)':');
        _out.WritePadded((int)(seconds / 60 % 60), 2);
        _out.WriteByte((byte)':');
        _out.WritePadded((int)(seconds % 60), 2);
        if (micro != 0)
        {
            _out.WriteByte((byte)'.');
            _out.WritePadded(micro, 6);
        }
    }

    /// <summary>Python's UTC offset form: <c>+HH:MM</c>, or <c>+HH:MM:SS</c> for (historic) offsets with seconds.</summary>
    private void WriteOffset(TimeSpan offset)
    {
        long totalSeconds = (long)Math.Round(offset.TotalSeconds);
        _out.WriteByte(totalSeconds < 0 ? (byte)'-' : (byte)'+');
        totalSeconds = Math.Abs(totalSeconds);
        _out.WritePadded((int)(totalSeconds / 3600), 2);
        _out.WriteByte((byte)':');
        _out.WritePadded((int)(totalSeconds / 60 % 60), 2);
        if (totalSeconds % 60 != 0)
        {
            _out.WriteByte((byte)':');
            _out.WritePadded((int)(totalSeconds % 60), 2);
        }
    }

    /// <summary>Python's <c>timedelta.total_seconds()</c>: the correctly rounded double of ticks / 10^7.</summary>
    private void WriteTimeSpan(TimeSpan span)
    {
        long ticks = span.Ticks;
        double seconds;
        if (ticks is >= -(1L << 53) and <= 1L << 53)
        {
            seconds = ticks / 1e7; // both operands exact, so IEEE division rounds correctly
        }
        else
        {
            // Exact decimal quotient, then a correctly rounding parse.
            decimal exact = ticks / 10_000_000m;
            seconds = double.Parse(exact.ToString(CultureInfo.InvariantCulture), NumberStyles.Float, CultureInfo.InvariantCulture);
        }
        WriteFloat(seconds);
    }
}
