using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Text;

namespace TypedPyro.Serialization;

/// <summary>
/// Reads Python <c>marshal</c> data (format version 2-4) of plain values into the untyped object model.
/// Every length is checked against the remaining input before anything is allocated.
/// </summary>
internal ref struct MarshalReader
{
    private const byte FlagRef = 0x80;

    /// <summary>Stands for marshal's NULL (<c>0</c>), which only ends a dict.</summary>
    private static readonly object s_nullMarker = new();

    private static readonly UTF8Encoding s_strictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly ReadOnlySpan<byte> _data;
    private readonly int _maxDepth;
    private readonly long _maxWeight;
    private int _pos;
    private int _depth;
    private List<RefEntry>? _refs;

    private struct RefEntry
    {
        public object? Value;
        public long Weight;
        public bool Complete;
    }

    public MarshalReader(ReadOnlySpan<byte> data, int maxDepth)
    {
        _data = data;
        _maxDepth = maxDepth;
        // Back-references share objects, so a small input can describe a huge tree (a "billion laughs"). Limit the
        // number of nodes a consumer walking the result would visit.
        _maxWeight = Math.Max(1L << 20, 16L * data.Length);
        _pos = 0;
        _depth = 0;
        _refs = null;
    }

    /// <summary>Reads the single value that must make up the whole input.</summary>
    public object? ReadDocument()
    {
        object? value = ReadObject(out _);
        if (ReferenceEquals(value, s_nullMarker)) throw Bad("NULL object in marshal data");
        if (_pos != _data.Length) throw Bad($"{_data.Length - _pos} unexpected bytes after the value");
        return value;
    }

    private static SerializeException Bad(string message) => new("bad marshal data: " + message);

    private static SerializeException Eof() => Bad("unexpected end of data");

    private int Remaining => _data.Length - _pos;

    private byte ReadByte()
    {
        if (_pos >= _data.Length) throw Eof();
        return _data[_pos++];
    }

    private int ReadInt32()
    {
        if (Remaining < 4) throw Eof();
        int value = BinaryPrimitives.ReadInt32LittleEndian(_data.Slice(_pos, 4));
        _pos += 4;
        return value;
    }

    private ReadOnlySpan<byte> ReadBytes(int count)
    {
        if (count < 0) throw Bad("negative size");
        if (count > Remaining) throw Eof();
        ReadOnlySpan<byte> span = _data.Slice(_pos, count);
        _pos += count;
        return span;
    }

    /// <summary>An element count: non-negative and at most the remaining bytes (every element takes at least one).</summary>
    private int ReadCount(string what)
    {
        int n = ReadInt32();
        if (n < 0) throw Bad(what + " size out of range");
        if (n > Remaining) throw Eof();
        return n;
    }

    private double ReadDouble()
    {
        if (Remaining < 8) throw Eof();
        double value = BinaryPrimitives.ReadDoubleLittleEndian(_data.Slice(_pos, 8));
        _pos += 8;
        return value;
    }

    private double ReadFloatText()
    {
        int n = ReadByte();
        ReadOnlySpan<byte> text = ReadBytes(n);
        Span<char> chars = stackalloc char[n];
        for (int i = 0; i < n; i++) chars[i] = (char)text[i];
        if (!PythonFloat.TryParse(chars, out double value)) throw Bad("invalid float text");
        return value;
    }

    private int Reserve(bool flag)
    {
        if (!flag) return -1;
        _refs ??= [];
        if (_refs.Count >= 0x7ffffffe) throw Bad("index list too large");
        _refs.Add(default);
        return _refs.Count - 1;
    }

    private void Complete(int index, object? value, long weight)
    {
        if (index >= 0) _refs![index] = new RefEntry { Value = value, Weight = weight, Complete = true };
    }

    private object? Scalar(bool flag, object? value, out long weight)
    {
        weight = 1;
        Complete(Reserve(flag), value, 1);
        return value;
    }

    private long AddWeight(long total, long more)
    {
        total += more;
        if (total > _maxWeight) throw Bad("the data expands to too many values through back-references");
        return total;
    }

    private object? ReadObject(out long weight)
    {
        byte code = ReadByte();
        bool flag = (code & FlagRef) != 0;
        char type = (char)(code & ~FlagRef);

        if (++_depth > _maxDepth) throw Bad($"nesting deeper than {_maxDepth} levels");
        if (!RuntimeHelpers.TryEnsureSufficientExecutionStack()) throw Bad("nesting too deep for the current stack");
        try
        {
            switch (type)
            {
                // The FLAG_REF bit is ignored on these singletons (CPython adds no reference-table entry for them).
                case '0': weight = 0; return s_nullMarker;
                case 'N': weight = 1; return null;
                case 'T': weight = 1; return true;
                case 'F': weight = 1; return false;
                case 'S': throw Bad("StopIteration is not a supported value");
                case '.': throw Bad("Ellipsis is not a supported value");

                case 'i': return Scalar(flag, (long)ReadInt32(), out weight);
                case 'I':
                    {
                        if (Remaining < 8) throw Eof();
                        long value = BinaryPrimitives.ReadInt64LittleEndian(_data.Slice(_pos, 8));
                        _pos += 8;
                        return Scalar(flag, value, out weight);
                    }
                case 'l': return Scalar(flag, ReadLong(), out weight);
                case 'g': return Scalar(flag, ReadDouble(), out weight);
                case 'f': return Scalar(flag, ReadFloatText(), out weight);
                case 'y':
                    {
                        double real = ReadDouble();
                        return Scalar(flag, new Complex(real, ReadDouble()), out weight);
                    }
                case 'x':
                    {
                        double real = ReadFloatText();
                        return Scalar(flag, new Complex(real, ReadFloatText()), out weight);
                    }
                case 's': return Scalar(flag, ReadBytes(ReadInt32()).ToArray(), out weight);
                case 'z':
                case 'Z':
                    return Scalar(flag, Encoding.Latin1.GetString(ReadBytes(ReadByte())), out weight);
                case 'a':
                case 'A':
                    return Scalar(flag, Encoding.Latin1.GetString(ReadBytes(ReadInt32())), out weight);
                case 'u':
                case 't':
                    return Scalar(flag, DecodeSurrogatePass(ReadBytes(ReadInt32())), out weight);

                case ')': return ReadTuple(flag, ReadByte(), out weight);
                case '(': return ReadTuple(flag, ReadCount("tuple"), out weight);
                case '[': return ReadList(flag, out weight);
                case '{': return ReadDict(flag, out weight);
                case '<':
                case '>':
                    return ReadSet(flag, out weight);

                case 'r':
                    {
                        int index = ReadInt32();
                        if (_refs is null || index < 0 || index >= _refs.Count) throw Bad("invalid reference");
                        RefEntry entry = _refs[index];
                        if (!entry.Complete) throw Bad("reference to an object that is still being read (circular data is not supported)");
                        weight = entry.Weight;
                        return entry.Value;
                    }
                case 'c': throw Bad("code objects are not supported");
                default: throw Bad($"unknown type code 0x{code:x2}");
            }
        }
        finally
        {
            _depth--;
        }
    }

    private object?[] ReadItems(int count, string what, out long weight)
    {
        if (count > Remaining) throw Eof();
        var items = new object?[count];
        weight = 1;
        for (int i = 0; i < count; i++)
        {
            object? item = ReadObject(out long w);
            if (ReferenceEquals(item, s_nullMarker)) throw Bad("NULL object in marshal data for " + what);
            items[i] = item;
            weight = AddWeight(weight, w);
        }
        return items;
    }

    private PyTuple ReadTuple(bool flag, int count, out long weight)
    {
        int index = Reserve(flag);
        object?[] items = ReadItems(count, "tuple", out weight);
        var tuple = count == 0 ? PyTuple.Empty : new PyTuple(items);
        Complete(index, tuple, weight);
        return tuple;
    }

    private List<object?> ReadList(bool flag, out long weight)
    {
        int count = ReadCount("list");
        int index = Reserve(flag);
        var list = new List<object?>(ReadItems(count, "list", out weight));
        Complete(index, list, weight);
        return list;
    }

    private HashSet<object?> ReadSet(bool flag, out long weight)
    {
        int count = ReadCount("set");
        int index = Reserve(flag);
        object?[] items = ReadItems(count, "set", out weight);
        var set = new HashSet<object?>(PyValueComparer.Instance);
        foreach (object? item in items)
        {
            CheckHashable(item);
            set.Add(item);
        }
        Complete(index, set, weight);
        return set;
    }

    private Dictionary<object, object?> ReadDict(bool flag, out long weight)
    {
        int index = Reserve(flag);
        var map = new Dictionary<object, object?>(PyValueComparer.Instance);
        weight = 1;
        while (true)
        {
            object? key = ReadObject(out long keyWeight);
            if (ReferenceEquals(key, s_nullMarker)) break;
            object? value = ReadObject(out long valueWeight);
            if (ReferenceEquals(value, s_nullMarker)) throw Bad("NULL object in marshal data for dict");
            if (key is null) throw Bad("None as a dict key is not supported");
            CheckHashable(key);
            map[key] = value;
            weight = AddWeight(AddWeight(weight, keyWeight), valueWeight);
        }
        Complete(index, map, weight);
        return map;
    }

    private static void CheckHashable(object? key)
    {
        if (key is List<object?> or Dictionary<object, object?> or HashSet<object?>)
            throw Bad("unhashable dict key or set element");
    }

    /// <summary>Marshal's <c>l</c>: int32 digit count (sign = sign of the value), then 15-bit digits, least significant first.</summary>
    private object ReadLong()
    {
        int n = ReadInt32();
        if (n == 0) return 0L;
        if (n == int.MinValue) throw Bad("long size out of range");
        int count = Math.Abs(n);
        if ((long)count * 2 > Remaining) throw Eof();
        ReadOnlySpan<byte> raw = _data.Slice(_pos, count * 2);
        _pos += count * 2;

        for (int i = 0; i < count; i++)
        {
            int digit = BinaryPrimitives.ReadUInt16LittleEndian(raw.Slice(i * 2, 2));
            if (digit > 0x7FFF) throw Bad("digit out of range in long");
            if (digit == 0 && i == count - 1) throw Bad("unnormalized long data");
        }

        if (count <= 4)
        {
            long small = 0;
            for (int i = count - 1; i >= 0; i--) small = (small << 15) | BinaryPrimitives.ReadUInt16LittleEndian(raw.Slice(i * 2, 2));
            return n < 0 ? -small : small;
        }

        // Pack the 15-bit digits into a little-endian unsigned byte array.
        var bytes = new byte[(int)(((long)count * 15 + 7) / 8) + 1];
        long bit = 0;
        for (int i = 0; i < count; i++, bit += 15)
        {
            int digit = BinaryPrimitives.ReadUInt16LittleEndian(raw.Slice(i * 2, 2));
            int byteIndex = (int)(bit >> 3);
            int shift = (int)(bit & 7);
            int spread = digit << shift; // at most 22 bits
            bytes[byteIndex] |= (byte)spread;
            bytes[byteIndex + 1] |= (byte)(spread >> 8);
            if (byteIndex + 2 < bytes.Length) bytes[byteIndex + 2] |= (byte)(spread >> 16);
        }
        var big = new BigInteger(bytes, isUnsigned: true, isBigEndian: false);
        if (n < 0) big = -big;
        return big >= long.MinValue && big <= long.MaxValue ? (object)(long)big : big;
    }

    /// <summary>UTF-8 as Python decodes it with <c>surrogatepass</c>: encoded lone surrogates (ED A0..BF xx) are kept.</summary>
    internal static string DecodeSurrogatePass(ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty) return string.Empty;
        try
        {
            return s_strictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            // fall through to the slow path
        }
        var builder = new StringBuilder(bytes.Length);
        int i = 0;
        while (i < bytes.Length)
        {
            var status = Rune.DecodeFromUtf8(bytes[i..], out Rune rune, out int consumed);
            if (status == System.Buffers.OperationStatus.Done)
            {
                builder.Append(rune.ToString());
                i += consumed;
                continue;
            }
            if (i + 2 < bytes.Length && bytes[i] == 0xED && bytes[i + 1] is >= 0xA0 and <= 0xBF && bytes[i + 2] is >= 0x80 and <= 0xBF)
            {
                builder.Append((char)(0xD000 | ((bytes[i + 1] & 0x3F) << 6) | (bytes[i + 2] & 0x3F)));
                i += 3;
                continue;
            }
            throw Bad("string is not valid UTF-8");
        }
        return builder.ToString();
    }
}
