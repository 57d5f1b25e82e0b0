using System.Buffers.Binary;
using System.IO.Compression;
using System.Text.Json;
using TypedPyro.Serialization;
using TypedPyro.Tests.Support;

namespace TypedPyro.Tests.Serialization.Json;

/// <summary>One Pyro message found in a golden vector, with its (decompressed) payload.</summary>
public sealed record VectorMessage(string Vector, string Path, int Type, int Flags, int SerializerId, byte[] Payload, JsonElement Decoded)
{
    public const int MsgConnect = 1, MsgConnectOk = 2, MsgConnectFail = 3, MsgInvoke = 4, MsgResult = 5;

    public override string ToString() => Vector + Path;
}

/// <summary>Finds every Pyro message in the msg_, cap_ and probe_ vectors.</summary>
public static class VectorMessages
{
    private static readonly Lazy<IReadOnlyList<VectorMessage>> s_all = new(LoadAll);

    public static IReadOnlyList<VectorMessage> All => s_all.Value;

    public static IEnumerable<VectorMessage> WithSerializer(int serializerId) => All.Where(m => m.SerializerId == serializerId);

    public static TheoryData<string> Theory(int serializerId, Func<VectorMessage, bool>? filter = null)
    {
        var data = new TheoryData<string>();
        foreach (var m in WithSerializer(serializerId).Where(m => filter is null || filter(m))) data.Add(m.ToString());
        return data;
    }

    public static VectorMessage Get(string id) => All.Single(m => m.ToString() == id);

    private static IReadOnlyList<VectorMessage> LoadAll()
    {
        var result = new List<VectorMessage>();
        foreach (var prefix in new[] { "msg_", "cap_", "probe_" })
        {
            foreach (var name in Vector.Names(prefix))
            {
                var v = Vector.Load(name);
                var decoded = v.Decoded;
                if (decoded.ValueKind != JsonValueKind.Object) continue;
                if (decoded.TryGetProperty("header", out _) && decoded.TryGetProperty("payload_hex_offset", out var offset))
                {
                    Add(result, Make(name, "", decoded, v.Bytes, offset.GetInt32()));
                }
                if (decoded.TryGetProperty("messages", out var messages))
                {
                    int i = 0;
                    foreach (var m in messages.EnumerateArray())
                    {
                        var bytes = Convert.FromHexString(m.GetProperty("hex").GetString()!);
                        Add(result, Make(name, $"/messages/{i++}", m, bytes, 24 + m.GetProperty("header").GetProperty("annotations_size").GetInt32()));
                    }
                }
                if (decoded.TryGetProperty("exchanges", out var exchanges))
                {
                    int x = 0;
                    foreach (var exchange in exchanges.EnumerateArray())
                    {
                        foreach (var side in new[] { "sent", "received" })
                        {
                            if (!exchange.TryGetProperty(side + "_messages", out var list)) continue;
                            var bytes = Convert.FromHexString(exchange.GetProperty(side + "_hex").GetString()!);
                            int i = 0;
                            foreach (var m in list.EnumerateArray())
                            {
                                if (m.TryGetProperty("payload_hex_offset", out var off))
                                    Add(result, Make(name, $"/exchanges/{x}/{side}/{i}", m, bytes, off.GetInt32()));
                                i++;
                            }
                        }
                        x++;
                    }
                }
            }
        }
        return result;
    }

    private static void Add(List<VectorMessage> list, VectorMessage? m)
    {
        if (m is not null) list.Add(m);
    }

    private static VectorMessage? Make(string name, string path, JsonElement m, byte[] bytes, int offset)
    {
        var header = m.GetProperty("header");
        int size = header.GetProperty("data_size").GetInt32();
        int flags = header.GetProperty("flags").GetInt32();
        // The header checks that the bytes are where the vector says.
        int start = offset - 24 - header.GetProperty("annotations_size").GetInt32();
        Assert.Equal("PYRO"u8.ToArray(), bytes[start..(start + 4)]);
        Assert.Equal(size, BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(start + 12)));
        if (offset + size > bytes.Length) return null; // a probe that claims more data than it sent (size-limit tests)
        byte[] payload = bytes[offset..(offset + size)];
        if ((flags & 2) != 0)
        {
            using var z = new ZLibStream(new MemoryStream(payload), CompressionMode.Decompress);
            using var plain = new MemoryStream();
            z.CopyTo(plain);
            payload = plain.ToArray();
        }
        return new VectorMessage(name, path, header.GetProperty("type").GetInt32(), flags, header.GetProperty("serializer_id").GetInt32(), payload, m);
    }
}

/// <summary>Shared assertions.</summary>
public static class JsonAssert
{
    /// <summary>Structural equality (PyValueComparer) that also tells -0.0 from 0.0 and long from BigInteger.</summary>
    public static void Equal(object? expected, object? actual)
    {
        expected = Normalize(expected);
        if (!PyValueComparer.Instance.Equals(expected, actual) || !SameShape(expected, actual))
            Assert.Fail($"values differ:\nexpected: {Show(expected)}\nactual:   {Show(actual)}");
    }

    private static bool SameShape(object? x, object? y)
    {
        switch (x)
        {
            case double dx when y is double dy:
                return double.IsNaN(dx) ? double.IsNaN(dy) : double.IsNegative(dx) == double.IsNegative(dy); // NaN has no sign in Python's json
            case System.Collections.IDictionary dx when y is System.Collections.IDictionary dy:
                foreach (System.Collections.DictionaryEntry e in dx)
                {
                    if (!SameShape(e.Value, dy[e.Key])) return false;
                }
                return true;
            case System.Collections.IList lx when y is System.Collections.IList ly:
                for (int i = 0; i < lx.Count; i++) if (!SameShape(lx[i], ly[i])) return false;
                return true;
            case PyTuple tx when y is PyTuple ty:
                for (int i = 0; i < tx.Count; i++) if (!SameShape(tx[i], ty[i])) return false;
                return true;
            default:
                return x?.GetType() == y?.GetType() || x is System.Collections.ICollection;
        }
    }

    public static string Show(object? value) => value switch
    {
        null => "None",
        string s => JsonSerializer.Serialize(s),
        double d => d.ToString("R", System.Globalization.CultureInfo.InvariantCulture) + "d",
        byte[] b => "b'" + Convert.ToHexString(b) + "'",
        PyTuple t => "(" + string.Join(", ", t.Select(Show)) + (t.Count == 1 ? ",)" : ")"),
        System.Collections.IDictionary d => "{" + string.Join(", ", Entries(d).Select(e => Show(e.Key) + ": " + Show(e.Value))) + "}",
        ISet<object?> s => "set(" + string.Join(", ", s.Select(Show)) + ")",
        System.Collections.IEnumerable e => "[" + string.Join(", ", e.Cast<object?>().Select(Show)) + "]",
        _ => value + " (" + value.GetType().Name + ")",
    };

    private static IEnumerable<System.Collections.DictionaryEntry> Entries(System.Collections.IDictionary d)
    {
        var e = d.GetEnumerator();
        while (e.MoveNext()) yield return e.Entry;
    }

    /// <summary>
    /// TypedNotation.ToValue returns small ints as BigInteger (its conditional expression widens long); the reader
    /// returns long whenever the value fits, so expected values are normalized the same way.
    /// </summary>
    public static object? Normalize(object? value)
    {
        switch (value)
        {
            case System.Numerics.BigInteger b when b >= long.MinValue && b <= long.MaxValue:
                return (long)b;
            case PyTuple t:
                return new PyTuple(t.Select(Normalize).ToArray());
            case List<object?> l:
                return l.Select(Normalize).ToList();
            case HashSet<object?> s:
                return new HashSet<object?>(s.Select(Normalize), PyValueComparer.Instance);
            case Dictionary<object, object?> d:
                var copy = new Dictionary<object, object?>(PyValueComparer.Instance);
                foreach (var (k, v) in d) copy[Normalize(k)!] = Normalize(v);
                return copy;
            default:
                return value;
        }
    }

    /// <summary>Bytes as text for readable failure messages (json is UTF-8).</summary>
    public static void EqualBytes(byte[] expected, byte[] actual)
    {
        if (!expected.AsSpan().SequenceEqual(actual))
        {
            Assert.Fail($"bytes differ:\nexpected: {Describe(expected)}\nactual:   {Describe(actual)}");
        }
    }

    private static string Describe(byte[] bytes)
    {
        try
        {
            return new System.Text.UTF8Encoding(false, true).GetString(bytes) + "   [" + Convert.ToHexString(bytes) + "]";
        }
        catch (System.Text.DecoderFallbackException)
        {
            return Convert.ToHexString(bytes);
        }
    }
}
