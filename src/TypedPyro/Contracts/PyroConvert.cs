using System.Collections;
using System.Globalization;
using System.Numerics;
using TypedPyro.Serialization;

namespace TypedPyro;

/// <summary>
/// Converts values of the untyped object model (what the serializers read) to the types a contract declares.
/// Generated proxies and dispatchers compose these; a value of the wrong kind raises
/// <see cref="ArgumentTypeException"/> (Python's <c>TypeError</c>), an out-of-range number <see cref="OverflowException"/>.
/// </summary>
public static class PyroConvert
{
    /// <summary>The value itself (for <c>object</c>-typed members).</summary>
    public static object? ToObject(object? value) => value is BorrowedBytes borrowed ? borrowed.ToObjectModel() : value;

    /// <summary>A Python bool.</summary>
    public static bool ToBoolean(object? value) => value is bool b ? b : throw Mismatch("bool", value);

    /// <summary>A Python int that fits in 64 bits.</summary>
    public static long ToInt64(object? value) => value switch
    {
        long l => l,
        int i => i,
        BigInteger b => (long)b,
        bool => throw Mismatch("int", value),
        IConvertible c when IsInteger(value) => c.ToInt64(CultureInfo.InvariantCulture),
        _ => throw Mismatch("int", value),
    };

    /// <summary>A Python int that fits in 32 bits.</summary>
    public static int ToInt32(object? value) => checked((int)ToInt64(value));

    /// <summary>A Python int that fits in 16 bits.</summary>
    public static short ToInt16(object? value) => checked((short)ToInt64(value));

    /// <summary>A Python int that fits in a byte.</summary>
    public static byte ToByte(object? value) => checked((byte)ToInt64(value));

    /// <summary>A Python int that fits in a signed byte.</summary>
    public static sbyte ToSByte(object? value) => checked((sbyte)ToInt64(value));

    /// <summary>A non-negative Python int that fits in 16 bits.</summary>
    public static ushort ToUInt16(object? value) => checked((ushort)ToInt64(value));

    /// <summary>A non-negative Python int that fits in 32 bits.</summary>
    public static uint ToUInt32(object? value) => checked((uint)ToInt64(value));

    /// <summary>A non-negative Python int that fits in 64 bits.</summary>
    public static ulong ToUInt64(object? value) => value is BigInteger b ? (ulong)b : checked((ulong)ToInt64(value));

    /// <summary>A Python int of any size.</summary>
    public static BigInteger ToBigInteger(object? value) => value is BigInteger b ? b : new BigInteger(ToInt64(value));

    /// <summary>A Python float (ints are accepted, as Python accepts them where a float is expected).</summary>
    public static double ToDouble(object? value) => value switch
    {
        double d => d,
        float f => f,
        long l => l,
        int i => i,
        BigInteger b => (double)b,
        _ => throw Mismatch("float", value),
    };

    /// <summary>A Python float as a single.</summary>
    public static float ToSingle(object? value) => (float)ToDouble(value);

    /// <summary>A decimal: Python sends <c>Decimal</c> as a string; ints and floats are accepted too.</summary>
    public static decimal ToDecimal(object? value) => value switch
    {
        decimal m => m,
        string s => decimal.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var m) ? m : throw new ArgumentException($"invalid decimal literal: '{s}'"),
        long l => l,
        double d => (decimal)d,
        BigInteger b => (decimal)b,
        _ => throw Mismatch("Decimal", value),
    };

    /// <summary>A Python str (or None for a nullable string).</summary>
    public static string? ToNullableString(object? value) => value is null ? null : ToString(value);

    /// <summary>A Python str.</summary>
    public static string ToString(object? value) => value as string ?? throw Mismatch("str", value);

    /// <summary>A one-character Python str.</summary>
    public static char ToChar(object? value) => value is string { Length: 1 } s ? s[0] : throw Mismatch("str of length 1", value);

    /// <summary>
    /// Bytes: Pyro's serpent base64 dict <c>{'data': ..., 'encoding': 'base64'}</c>, a byte array, or a list of ints.
    /// </summary>
    public static byte[] ToBytes(object? value)
    {
        switch (value)
        {
            case byte[] bytes:
                return bytes;
            case BorrowedBytes borrowed:
                return borrowed.ToArray();
            case IDictionary map when map.Contains("data") && map["data"] is string data && Equals(map["encoding"], "base64"):
                return FromBase64(data);
            case IList list:
                var result = new byte[list.Count];
                for (int i = 0; i < result.Length; i++) result[i] = ToByte(list[i]);
                return result;
            default:
                throw Mismatch("bytes", value);
        }
    }

    /// <summary>
    /// Bytes as <see cref="ToBytes"/> reads them, for a <see cref="ReadOnlyMemory{T}"/> parameter. A bulk argument of a
    /// call (64 KiB or more) is a view of the daemon's receive buffer, not a copy: it is valid until the method returns
    /// (or its task completes); call <c>ToArray()</c> to keep the bytes longer.
    /// </summary>
    public static ReadOnlyMemory<byte> ToReadOnlyMemory(object? value)
        => value is BorrowedBytes borrowed ? borrowed.View() : ToBytes(value);

    /// <summary>Bytes as <see cref="ToReadOnlyMemory"/> reads them, writable (the buffer is the call's own).</summary>
    public static Memory<byte> ToMemory(object? value)
        => System.Runtime.InteropServices.MemoryMarshal.AsMemory(ToReadOnlyMemory(value));

    /// <summary>
    /// Decodes serpent's base64 bytes form. Bulk data is narrowed to ASCII in pooled chunks and decoded with the
    /// vectorized UTF-8 decoder, several times faster than decoding the UTF-16 string directly.
    /// </summary>
    private static byte[] FromBase64(string data)
    {
        if (data.Length >= 64 * 1024 && data.Length % 4 == 0 && TryFromBase64Fast(data) is { } bytes) return bytes;
        try
        {
            // Also the fallback for what the fast path does not take (e.g. base64 with line breaks).
            return Convert.FromBase64String(data);
        }
        catch (FormatException e)
        {
            throw new ArgumentException("invalid base64 in a bytes value", e);
        }
    }

    private static byte[]? TryFromBase64Fast(string data)
    {
        const int Chunk = 64 * 1024; // a multiple of 4: whole base64 quads per chunk
        int padding = data.EndsWith("==", StringComparison.Ordinal) ? 2 : data.EndsWith('=') ? 1 : 0;
        var result = GC.AllocateUninitializedArray<byte>(data.Length / 4 * 3 - padding);
        var ascii = System.Buffers.ArrayPool<byte>.Shared.Rent(Chunk);
        try
        {
            int written = 0;
            for (int start = 0; start < data.Length; start += Chunk)
            {
                var chars = data.AsSpan(start, Math.Min(Chunk, data.Length - start));
                if (System.Text.Ascii.FromUtf16(chars, ascii, out int narrowed) != System.Buffers.OperationStatus.Done) return null;
                bool last = start + chars.Length == data.Length;
                var status = System.Buffers.Text.Base64.DecodeFromUtf8(ascii.AsSpan(0, narrowed), result.AsSpan(written), out int consumed, out int decoded, isFinalBlock: last);
                if (status != System.Buffers.OperationStatus.Done || consumed != narrowed) return null;
                written += decoded;
            }
            return written == result.Length ? result : null;
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(ascii);
        }
    }

    /// <summary>A UUID (sent as its string).</summary>
    public static Guid ToGuid(object? value) => value switch
    {
        Guid g => g,
        string s when Guid.TryParse(s, out var g) => g,
        _ => throw Mismatch("UUID string", value),
    };

    /// <summary>A datetime (sent as its isoformat string).</summary>
    public static DateTime ToDateTime(object? value) => value switch
    {
        DateTime d => d,
        string s when DateTime.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var d) => d,
        _ => throw Mismatch("datetime isoformat string", value),
    };

    /// <summary>A datetime with offset (sent as its isoformat string).</summary>
    public static DateTimeOffset ToDateTimeOffset(object? value) => value switch
    {
        DateTimeOffset d => d,
        string s when DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var d) => d,
        _ => throw Mismatch("datetime isoformat string", value),
    };

    /// <summary>A date (isoformat string).</summary>
    public static DateOnly ToDateOnly(object? value) => value switch
    {
        DateOnly d => d,
        string s when DateOnly.TryParse(s, CultureInfo.InvariantCulture, out var d) => d,
        _ => throw Mismatch("date isoformat string", value),
    };

    /// <summary>A time of day (isoformat string).</summary>
    public static TimeOnly ToTimeOnly(object? value) => value switch
    {
        TimeOnly t => t,
        string s when TimeOnly.TryParse(s, CultureInfo.InvariantCulture, out var t) => t,
        _ => throw Mismatch("time isoformat string", value),
    };

    /// <summary>A duration: serpent sends <c>timedelta</c> as float seconds.</summary>
    public static TimeSpan ToTimeSpan(object? value) => value is TimeSpan t ? t : TimeSpan.FromSeconds(ToDouble(value));

    /// <summary>A complex number.</summary>
    public static Complex ToComplex(object? value) => value is Complex c ? c : new Complex(ToDouble(value), 0);

    /// <summary>An enum member from its underlying value (Python sends an enum's value).</summary>
    public static TEnum ToEnum<TEnum>(object? value) where TEnum : struct, Enum
        => (TEnum)Enum.ToObject(typeof(TEnum), ToInt64(value));

    /// <summary>A Pyro URI (its string or its class dict).</summary>
    public static PyroUri ToUri(object? value)
    {
        try
        {
            return PyroUri.FromWireValue(value);
        }
        catch (PyroException e)
        {
            throw new ArgumentTypeException($"expected a Pyro URI: {e.Message}", e);
        }
    }

    /// <summary>A nullable value type: None is null.</summary>
    public static T? ToNullable<T>(object? value, Func<object?, T> convert) where T : struct
        => value is null ? null : convert(value);

    /// <summary>A list from any Python sequence or set.</summary>
    public static List<T> ToList<T>(object? value, Func<object?, T> convert)
    {
        if (value is not IEnumerable items || value is string || value is IDictionary) throw Mismatch("list", value);
        var list = value is ICollection c ? new List<T>(c.Count) : [];
        foreach (var item in items) list.Add(convert(item));
        return list;
    }

    /// <summary>An array from any Python sequence or set.</summary>
    public static T[] ToArray<T>(object? value, Func<object?, T> convert) => [.. ToList(value, convert)];

    /// <summary>A set from any Python sequence or set.</summary>
    public static HashSet<T> ToHashSet<T>(object? value, Func<object?, T> convert) => [.. ToList(value, convert)];

    /// <summary>A dictionary from a Python dict.</summary>
    public static Dictionary<TKey, TValue> ToDictionary<TKey, TValue>(object? value, Func<object?, TKey> convertKey, Func<object?, TValue> convertValue)
        where TKey : notnull
    {
        if (value is not IDictionary map) throw Mismatch("dict", value);
        var result = new Dictionary<TKey, TValue>(map.Count);
        foreach (DictionaryEntry entry in map) result[convertKey(entry.Key)] = convertValue(entry.Value);
        return result;
    }

    /// <summary>The items of a remote iterator (or of a sequence sent whole), converted lazily.</summary>
    public static IEnumerable<T> ToEnumerable<T>(object? value, Func<object?, T> convert) => value switch
    {
        PyroRemoteIterator remote => remote.ToBlockingEnumerable().Select(convert),
        _ => ToList(value, convert),
    };

    /// <summary>The items of a remote iterator (or of a sequence sent whole), asynchronously.</summary>
    public static async IAsyncEnumerable<T> ToAsyncEnumerable<T>(object? value, Func<object?, T> convert)
    {
        if (value is PyroRemoteIterator remote)
        {
            await foreach (var item in remote.ConfigureAwait(false)) yield return convert(item);
            yield break;
        }
        foreach (var item in ToList(value, convert)) yield return item;
    }

    private static bool IsInteger(object value) => value is sbyte or byte or short or ushort or int or uint or long or ulong;

    /// <summary>The TypeError for a value of the wrong kind, in Python's words.</summary>
    public static ArgumentTypeException Mismatch(string expected, object? actual)
        => new($"expected {expected}, got {PythonTypeName(actual)}");

    /// <summary>The Python type name of an object-model value (for messages).</summary>
    public static string PythonTypeName(object? value) => value switch
    {
        null => "NoneType",
        bool => "bool",
        long or int or BigInteger or short or byte or sbyte or uint or ulong or ushort => "int",
        double or float => "float",
        string => "str",
        PyTuple => "tuple",
        IDictionary => "dict",
        BorrowedBytes borrowed => borrowed.IsDictForm ? "dict" : "bytes",
        ISet<object?> => "set",
        byte[] => "bytes",
        IList => "list",
        Complex => "complex",
        _ => value.GetType().Name,
    };
}
