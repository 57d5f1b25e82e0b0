using System.Buffers;
using System.Buffers.Binary;
using System.Collections;
using System.Globalization;
using System.Numerics;
using System.Text;

namespace TypedPyro.Serialization;

/// <summary>
/// Pyro4's msgpack serializer (id 6), interoperable with Python's <c>msgpack.packb(..., use_bin_type=True)</c> as
/// Pyro4 uses it: bytes travel as msgpack <c>bin</c> (no base64), which makes it the binary-friendly path for bulk data.
/// Tuples and sets travel as arrays and come back as lists; ints beyond 64 bits use Pyro's ext type 0x31 (decimal
/// digits), complex numbers 0x30, naive datetimes 0x32 (a float timestamp) and dates 0x33 (an ordinal).
/// Python daemons accept msgpack only when it is in their SERIALIZERS_ACCEPTED, and so do TypedPyro daemons.
/// </summary>
public sealed class MsgPackSerializer : PyroSerializer
{
    /// <summary>Nesting limit in both directions.</summary>
    public const int MaxDepth = 1000;

    /// <inheritdoc/>
    public override SerializerId Id => SerializerId.MsgPack;

    /// <inheritdoc/>
    public override string Name => "msgpack";

    /// <inheritdoc/>
    public override void Serialize(IBufferWriter<byte> output, object? value) => Write(output, value, 0);

    /// <inheritdoc/>
    public override object? Deserialize(ReadOnlySpan<byte> data)
    {
        int pos = 0;
        var value = Read(data, ref pos, 0);
        if (pos != data.Length) throw new SerializeException($"msgpack: {data.Length - pos} trailing bytes after the value");
        return value;
    }

    internal override PyroCall DeserializeCall(ReadOnlyMemory<byte> data, bool borrowBulkBytes, CallArguments? arguments = null, bool argumentsOutliveCall = false)
    {
        var d = data.Span;
        // Pyro's shape, [objectId, method, [args...], kwargs], read with the bulk bins of args left where they are.
        if (!borrowBulkBytes || d.IsEmpty || d[0] != 0x94) return DeserializeCall(d);
        int pos = 1;
        object? objectId = Read(d, ref pos, 1);
        object? method = Read(d, ref pos, 1);
        if (pos >= d.Length) throw new SerializeException($"msgpack: truncated data (needs 1 bytes at {pos})");
        int count;
        switch (d[pos])
        {
            case >= 0x90 and <= 0x9f: count = d[pos++] & 0x0f; break;
            case 0xdc: pos++; count = BinaryPrimitives.ReadUInt16BigEndian(Take(d, ref pos, 2)); break;
            case 0xdd: pos++; count = Length(BinaryPrimitives.ReadUInt32BigEndian(Take(d, ref pos, 4))); break;
            default: return DeserializeCall(d);
        }
        if (count > d.Length - pos) throw new SerializeException($"msgpack: array of {count} items cannot fit in the data");
        var args = new List<object?>(count);
        for (int i = 0; i < count; i++)
        {
            if (pos + 5 <= d.Length && d[pos] == 0xc6 && BinaryPrimitives.ReadUInt32BigEndian(d[(pos + 1)..]) is var size and >= BorrowedBytes.Threshold)
            {
                pos += 5;
                int start = pos;
                Take(d, ref pos, Length(size));
                args.Add(BorrowedBytes.Binary(data.Slice(start, (int)size)));
                continue;
            }
            args.Add(Read(d, ref pos, 2));
        }
        object? kwargs = Read(d, ref pos, 1);
        if (pos != d.Length) throw new SerializeException($"msgpack: {d.Length - pos} trailing bytes after the value");
        return ToCallParts(objectId, method, args, kwargs);
    }

    // ---- writing ------------------------------------------------------------------------------------------------

    private static void Write(IBufferWriter<byte> o, object? value, int depth)
    {
        if (depth > MaxDepth) throw new SerializeException($"msgpack: nesting deeper than {MaxDepth} levels (or a circular reference)");
        switch (value)
        {
            case null: Byte(o, 0xc0); return;
            case bool b: Byte(o, b ? (byte)0xc3 : (byte)0xc2); return;
            case string s: WriteString(o, s); return;
            case long l: WriteInt(o, l); return;
            case int i: WriteInt(o, i); return;
            case short or sbyte or byte or ushort or uint: WriteInt(o, Convert.ToInt64(value, CultureInfo.InvariantCulture)); return;
            case ulong u when u > long.MaxValue: Byte(o, 0xcf); Big(o, u); return;
            case ulong u: WriteInt(o, (long)u); return;
            case BigInteger big when big >= long.MinValue && big <= long.MaxValue: WriteInt(o, (long)big); return;
            case BigInteger big when big > 0 && big <= ulong.MaxValue: Byte(o, 0xcf); Big(o, (ulong)big); return;
            case BigInteger big: WriteExt(o, 0x31, Encoding.ASCII.GetBytes(big.ToString(CultureInfo.InvariantCulture))); return;
            case double d: WriteDouble(o, d); return;
            case float f: WriteDouble(o, f); return;
            case decimal m: WriteString(o, m.ToString(CultureInfo.InvariantCulture)); return;
            case char c: WriteString(o, c.ToString()); return;
            case Guid g: WriteString(o, g.ToString("D")); return;
            case byte[] bytes: WriteBin(o, (ReadOnlyMemory<byte>)bytes); return;
            case ReadOnlyMemory<byte> rom: WriteBin(o, rom); return;
            case Memory<byte> mem: WriteBin(o, (ReadOnlyMemory<byte>)mem); return;
            case ArraySegment<byte> seg: WriteBin(o, (ReadOnlyMemory<byte>)seg); return;
            case Complex z:
            {
                Span<byte> bytes = stackalloc byte[16];
                BinaryPrimitives.WriteDoubleLittleEndian(bytes, z.Real);
                BinaryPrimitives.WriteDoubleLittleEndian(bytes[8..], z.Imaginary);
                WriteExt(o, 0x30, bytes);
                return;
            }
            case DateTime dt:
            {
                // Python's naive datetime.timestamp() reads local time.
                var local = dt.Kind == DateTimeKind.Utc ? dt.ToLocalTime() : DateTime.SpecifyKind(dt, DateTimeKind.Local);
                Span<byte> bytes = stackalloc byte[8];
                BinaryPrimitives.WriteDoubleLittleEndian(bytes, (local.ToUniversalTime() - DateTime.UnixEpoch).TotalSeconds);
                WriteExt(o, 0x32, bytes);
                return;
            }
            case DateOnly date:
            {
                Span<byte> bytes = stackalloc byte[8];
                BinaryPrimitives.WriteInt64LittleEndian(bytes, date.DayNumber + 1); // Python's toordinal: 0001-01-01 is 1
                WriteExt(o, 0x33, bytes);
                return;
            }
            case Enum e: WriteInt(o, Convert.ToInt64(e, CultureInfo.InvariantCulture)); return;
            case IPyroWireValue wire: Write(o, wire.ToWireValue(), depth + 1); return;
            case IDictionary map:
                WriteHeader(o, map.Count, 0x80, 0xde, 0xdf);
                foreach (DictionaryEntry entry in map)
                {
                    Write(o, entry.Key, depth + 1);
                    Write(o, entry.Value, depth + 1);
                }
                return;
            case IReadOnlyDictionary<string, object?> map:
                WriteHeader(o, map.Count, 0x80, 0xde, 0xdf);
                foreach (var (k, v) in map)
                {
                    WriteString(o, k);
                    Write(o, v, depth + 1);
                }
                return;
            case ICollection items:
                WriteHeader(o, items.Count, 0x90, 0xdc, 0xdd);
                foreach (var item in items) Write(o, item, depth + 1);
                return;
            case IReadOnlyCollection<object?> items:
                WriteHeader(o, items.Count, 0x90, 0xdc, 0xdd);
                foreach (var item in items) Write(o, item, depth + 1);
                return;
            case IEnumerable sequence:
                var all = sequence.Cast<object?>().ToList();
                WriteHeader(o, all.Count, 0x90, 0xdc, 0xdd);
                foreach (var item in all) Write(o, item, depth + 1);
                return;
            case var _ when PyroWireReferences.Resolve(value) is { } reference: Write(o, reference, depth + 1); return;
            default:
                throw new SerializeException($"msgpack: cannot serialize a value of type {value.GetType().FullName}");
        }
    }

    private static void Byte(IBufferWriter<byte> o, byte b)
    {
        o.GetSpan(1)[0] = b;
        o.Advance(1);
    }

    private static void Big(IBufferWriter<byte> o, ulong value)
    {
        BinaryPrimitives.WriteUInt64BigEndian(o.GetSpan(8), value);
        o.Advance(8);
    }

    // The smallest encoding, as msgpack-python chooses it.
    private static void WriteInt(IBufferWriter<byte> o, long v)
    {
        var span = o.GetSpan(9);
        int n;
        if (v >= 0)
        {
            if (v <= 0x7f) { span[0] = (byte)v; n = 1; }
            else if (v <= byte.MaxValue) { span[0] = 0xcc; span[1] = (byte)v; n = 2; }
            else if (v <= ushort.MaxValue) { span[0] = 0xcd; BinaryPrimitives.WriteUInt16BigEndian(span[1..], (ushort)v); n = 3; }
            else if (v <= uint.MaxValue) { span[0] = 0xce; BinaryPrimitives.WriteUInt32BigEndian(span[1..], (uint)v); n = 5; }
            else { span[0] = 0xcf; BinaryPrimitives.WriteUInt64BigEndian(span[1..], (ulong)v); n = 9; }
        }
        else
        {
            if (v >= -32) { span[0] = (byte)(sbyte)v; n = 1; }
            else if (v >= sbyte.MinValue) { span[0] = 0xd0; span[1] = (byte)(sbyte)v; n = 2; }
            else if (v >= short.MinValue) { span[0] = 0xd1; BinaryPrimitives.WriteInt16BigEndian(span[1..], (short)v); n = 3; }
            else if (v >= int.MinValue) { span[0] = 0xd2; BinaryPrimitives.WriteInt32BigEndian(span[1..], (int)v); n = 5; }
            else { span[0] = 0xd3; BinaryPrimitives.WriteInt64BigEndian(span[1..], v); n = 9; }
        }
        o.Advance(n);
    }

    private static void WriteDouble(IBufferWriter<byte> o, double d)
    {
        var span = o.GetSpan(9);
        span[0] = 0xcb;
        BinaryPrimitives.WriteDoubleBigEndian(span[1..], d);
        o.Advance(9);
    }

    private static void WriteString(IBufferWriter<byte> o, string s)
    {
        int length = Encoding.UTF8.GetByteCount(s);
        WriteHeader(o, length, 0xa0, 0xda, 0xdb, fixLimit: 31, eightBit: 0xd9);
        int written = Encoding.UTF8.GetBytes(s, o.GetSpan(length));
        o.Advance(written);
    }

    private static void WriteBin(IBufferWriter<byte> o, ReadOnlyMemory<byte> bytes)
    {
        // Bulk bytes the output may send in place (a proxy's call payload): header here, the bytes not copied.
        if (bytes.Length >= BulkReference && o is Protocol.PooledBufferWriter pooled && pooled.AllowReferences)
        {
            WriteHeader(o, bytes.Length, fixBase: -1, sixteen: 0xc5, thirtyTwo: 0xc6, fixLimit: -1, eightBit: 0xc4);
            pooled.TryAppendReference(bytes);
            return;
        }
        WriteBin(o, bytes.Span);
    }

    private const int BulkReference = 64 * 1024;

    private static void WriteBin(IBufferWriter<byte> o, ReadOnlySpan<byte> bytes)
    {
        WriteHeader(o, bytes.Length, fixBase: -1, sixteen: 0xc5, thirtyTwo: 0xc6, fixLimit: -1, eightBit: 0xc4);
        bytes.CopyTo(o.GetSpan(bytes.Length));
        o.Advance(bytes.Length);
    }

    private static void WriteExt(IBufferWriter<byte> o, byte type, ReadOnlySpan<byte> data)
    {
        var span = o.GetSpan(6 + data.Length);
        int n;
        switch (data.Length)
        {
            case 1: span[0] = 0xd4; n = 1; break;
            case 2: span[0] = 0xd5; n = 1; break;
            case 4: span[0] = 0xd6; n = 1; break;
            case 8: span[0] = 0xd7; n = 1; break;
            case 16: span[0] = 0xd8; n = 1; break;
            case <= byte.MaxValue: span[0] = 0xc7; span[1] = (byte)data.Length; n = 2; break;
            case <= ushort.MaxValue: span[0] = 0xc8; BinaryPrimitives.WriteUInt16BigEndian(span[1..], (ushort)data.Length); n = 3; break;
            default: span[0] = 0xc9; BinaryPrimitives.WriteUInt32BigEndian(span[1..], (uint)data.Length); n = 5; break;
        }
        span[n++] = type;
        data.CopyTo(span[n..]);
        o.Advance(n + data.Length);
    }

    private static void WriteHeader(IBufferWriter<byte> o, int count, int fixBase, byte sixteen, byte thirtyTwo, int fixLimit = 15, byte eightBit = 0)
    {
        var span = o.GetSpan(5);
        if (fixBase >= 0 && count <= fixLimit) { span[0] = (byte)(fixBase | count); o.Advance(1); }
        else if (eightBit != 0 && count <= byte.MaxValue) { span[0] = eightBit; span[1] = (byte)count; o.Advance(2); }
        else if (count <= ushort.MaxValue) { span[0] = sixteen; BinaryPrimitives.WriteUInt16BigEndian(span[1..], (ushort)count); o.Advance(3); }
        else { span[0] = thirtyTwo; BinaryPrimitives.WriteUInt32BigEndian(span[1..], (uint)count); o.Advance(5); }
    }

    // ---- reading ------------------------------------------------------------------------------------------------

    private static object? Read(ReadOnlySpan<byte> d, ref int pos, int depth)
    {
        if (depth > MaxDepth) throw new SerializeException($"msgpack: nesting deeper than {MaxDepth} levels");
        byte b = Take(d, ref pos, 1)[0];
        switch (b)
        {
            case <= 0x7f: return (long)b;
            case >= 0xe0: return (long)(sbyte)b;
            case >= 0x80 and <= 0x8f: return ReadMap(d, ref pos, b & 0x0f, depth);
            case >= 0x90 and <= 0x9f: return ReadArray(d, ref pos, b & 0x0f, depth);
            case >= 0xa0 and <= 0xbf: return Utf8(Take(d, ref pos, b & 0x1f));
            case 0xc0: return null;
            case 0xc2: return false;
            case 0xc3: return true;
            case 0xc4: return Take(d, ref pos, Take(d, ref pos, 1)[0]).ToArray();
            case 0xc5: return CopyBytes(Take(d, ref pos, BinaryPrimitives.ReadUInt16BigEndian(Take(d, ref pos, 2))));
            case 0xc6: return CopyBytes(Take(d, ref pos, Length(BinaryPrimitives.ReadUInt32BigEndian(Take(d, ref pos, 4)))));
            case 0xc7: { int n = Take(d, ref pos, 1)[0]; return Ext(d, ref pos, n); }
            case 0xc8: { int n = BinaryPrimitives.ReadUInt16BigEndian(Take(d, ref pos, 2)); return Ext(d, ref pos, n); }
            case 0xc9: { int n = Length(BinaryPrimitives.ReadUInt32BigEndian(Take(d, ref pos, 4))); return Ext(d, ref pos, n); }
            case 0xca: return (double)BinaryPrimitives.ReadSingleBigEndian(Take(d, ref pos, 4));
            case 0xcb: return BinaryPrimitives.ReadDoubleBigEndian(Take(d, ref pos, 8));
            case 0xcc: return (long)Take(d, ref pos, 1)[0];
            case 0xcd: return (long)BinaryPrimitives.ReadUInt16BigEndian(Take(d, ref pos, 2));
            case 0xce: return (long)BinaryPrimitives.ReadUInt32BigEndian(Take(d, ref pos, 4));
            case 0xcf:
            {
                ulong u = BinaryPrimitives.ReadUInt64BigEndian(Take(d, ref pos, 8));
                return u <= long.MaxValue ? (object)(long)u : new BigInteger(u);
            }
            case 0xd0: return (long)(sbyte)Take(d, ref pos, 1)[0];
            case 0xd1: return (long)BinaryPrimitives.ReadInt16BigEndian(Take(d, ref pos, 2));
            case 0xd2: return (long)BinaryPrimitives.ReadInt32BigEndian(Take(d, ref pos, 4));
            case 0xd3: return BinaryPrimitives.ReadInt64BigEndian(Take(d, ref pos, 8));
            case 0xd4: return Ext(d, ref pos, 1);
            case 0xd5: return Ext(d, ref pos, 2);
            case 0xd6: return Ext(d, ref pos, 4);
            case 0xd7: return Ext(d, ref pos, 8);
            case 0xd8: return Ext(d, ref pos, 16);
            case 0xd9: return Utf8(Take(d, ref pos, Take(d, ref pos, 1)[0]));
            case 0xda: return Utf8(Take(d, ref pos, BinaryPrimitives.ReadUInt16BigEndian(Take(d, ref pos, 2))));
            case 0xdb: return Utf8(Take(d, ref pos, Length(BinaryPrimitives.ReadUInt32BigEndian(Take(d, ref pos, 4)))));
            case 0xdc: return ReadArray(d, ref pos, BinaryPrimitives.ReadUInt16BigEndian(Take(d, ref pos, 2)), depth);
            case 0xdd: return ReadArray(d, ref pos, Length(BinaryPrimitives.ReadUInt32BigEndian(Take(d, ref pos, 4))), depth);
            case 0xde: return ReadMap(d, ref pos, BinaryPrimitives.ReadUInt16BigEndian(Take(d, ref pos, 2)), depth);
            case 0xdf: return ReadMap(d, ref pos, Length(BinaryPrimitives.ReadUInt32BigEndian(Take(d, ref pos, 4))), depth);
            default: throw new SerializeException($"msgpack: invalid type byte 0x{b:x2} at {pos - 1}");
        }
    }

    private static int Length(uint length)
        => length <= int.MaxValue ? (int)length : throw new SerializeException($"msgpack: length {length} too large");

    /// <summary>A bin value's own array: not zeroed first, since every byte is overwritten (a bulk payload is megabytes).</summary>
    private static byte[] CopyBytes(ReadOnlySpan<byte> data)
    {
        var copy = GC.AllocateUninitializedArray<byte>(data.Length);
        data.CopyTo(copy);
        return copy;
    }

    private static ReadOnlySpan<byte> Take(ReadOnlySpan<byte> d, ref int pos, int count)
    {
        // Every claimed length is checked against the bytes actually present before anything is allocated.
        if (count < 0 || count > d.Length - pos) throw new SerializeException($"msgpack: truncated data (needs {count} bytes at {pos})");
        var slice = d.Slice(pos, count);
        pos += count;
        return slice;
    }

    private static string Utf8(ReadOnlySpan<byte> bytes)
    {
        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (DecoderFallbackException e)
        {
            throw new SerializeException("msgpack: invalid UTF-8 in a str", e);
        }
    }

    private static List<object?> ReadArray(ReadOnlySpan<byte> d, ref int pos, int count, int depth)
    {
        if (count > d.Length - pos) throw new SerializeException($"msgpack: array of {count} items cannot fit in the data");
        var list = new List<object?>(count);
        for (int i = 0; i < count; i++) list.Add(Read(d, ref pos, depth + 1));
        return list;
    }

    private static Dictionary<object, object?> ReadMap(ReadOnlySpan<byte> d, ref int pos, int count, int depth)
    {
        if (count > (d.Length - pos) / 2) throw new SerializeException($"msgpack: map of {count} entries cannot fit in the data");
        var map = new Dictionary<object, object?>(count, PyValueComparer.Instance!);
        for (int i = 0; i < count; i++)
        {
            var key = Read(d, ref pos, depth + 1) ?? throw new SerializeException("msgpack: None as a dict key is not supported");
            if (key is List<object?> list) key = new PyTuple([.. list]); // an unhashable list key (a tuple in Python)
            map[key] = Read(d, ref pos, depth + 1);
        }
        return map;
    }

    private static object? Ext(ReadOnlySpan<byte> d, ref int pos, int length)
    {
        byte type = Take(d, ref pos, 1)[0];
        var data = Take(d, ref pos, length);
        switch (type)
        {
            case 0x30 when data.Length == 16:
                return new Complex(BinaryPrimitives.ReadDoubleLittleEndian(data), BinaryPrimitives.ReadDoubleLittleEndian(data[8..]));
            case 0x31:
                return BigInteger.TryParse(Encoding.ASCII.GetString(data), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var big)
                    ? (big >= long.MinValue && big <= long.MaxValue ? (object)(long)big : big)
                    : throw new SerializeException("msgpack: invalid big integer ext");
            case 0x32 when data.Length == 8:
                return Timestamp(BinaryPrimitives.ReadDoubleLittleEndian(data));
            case 0x33 when data.Length == 8:
                long ordinal = BinaryPrimitives.ReadInt64LittleEndian(data);
                return ordinal is >= 1 and <= 3652059 ? DateOnly.FromDayNumber((int)ordinal - 1) : throw new SerializeException("msgpack: invalid date ordinal");
            default:
                throw new SerializeException($"invalid ext code for msgpack: {type}");
        }
    }

    private static readonly double MinTimestamp = (DateTime.MinValue - DateTime.UnixEpoch).TotalSeconds;
    private static readonly double MaxTimestamp = (DateTime.MaxValue - DateTime.UnixEpoch).TotalSeconds;

    /// <summary>A naive datetime from its float timestamp (ext 0x32), in local time as Python's fromtimestamp gives it.</summary>
    private static DateTime Timestamp(double seconds)
    {
        // NaN, infinities and stamps outside years 1-9999 are no datetime (found by fuzzing: AddSeconds threw).
        if (!(seconds > MinTimestamp && seconds < MaxTimestamp)) throw new SerializeException($"msgpack: datetime timestamp out of range: {seconds}");
        return DateTime.UnixEpoch.AddSeconds(seconds).ToLocalTime();
    }
}
