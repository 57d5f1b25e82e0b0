using System.IO.Compression;
using System.Numerics;
using System.Text;
using System.Text.Json;
using TypedPyro.Serialization;
using TypedPyro.Tests.Support;
using Vector = TypedPyro.Tests.Support.Vector;

namespace TypedPyro.Tests.Serialization.Serpent;

/// <summary>The golden vectors captured from Python serpent 1.41 / Pyro4 4.82 (tests/vectors/ser_serpent_*, msg_*, cap_*).</summary>
public class SerpentVectorTests
{
    private static readonly SerpentSerializer Serpent = SerpentSerializer.Instance;
    private static readonly byte[] Header = "# serpent utf-8 python3.2\n"u8.ToArray();

    /// <summary>
    /// Emitter-tested with a .NET input built here, because the vector's Python value is written as a <c>$repr</c>
    /// (no typed notation) but has a natural .NET counterpart.
    /// </summary>
    private static readonly Dictionary<string, object?> DotNetInputs = new()
    {
        ["ser_serpent_complex"] = new Complex(1, 2),
        ["ser_serpent_complex_neg_imag"] = new Complex(3, -4.5),
        ["ser_serpent_date"] = new DateOnly(2024, 1, 2),
        ["ser_serpent_datetime_naive"] = new DateTime(2024, 1, 2, 3, 4, 5, DateTimeKind.Unspecified).AddTicks(6_789_010),
        ["ser_serpent_datetime_naive_nomicro"] = new DateTime(2024, 1, 2, 3, 4, 5),
        ["ser_serpent_datetime_offset"] = new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.FromHours(2)),
        ["ser_serpent_datetime_utc"] = new DateTime(2024, 1, 2, 3, 4, 5, DateTimeKind.Utc).AddTicks(6_789_010),
        ["ser_serpent_time"] = new TimeOnly(3, 4, 5).Add(TimeSpan.FromMicroseconds(600)),
        ["ser_serpent_timedelta"] = new TimeSpan(1, 0, 0, 2, 500),
        ["ser_serpent_uuid"] = Guid.Parse("12345678-1234-5678-1234-567812345678"),
        ["ser_serpent_array_int"] = new[] { 1, 2, 3 },             // array.array('i') -> list; a .NET int[] -> list
        ["ser_serpent_deque"] = new Queue<long>([1L, 2L]),          // deque -> list; a non-IList .NET sequence -> list
    };

    /// <summary>Vectors whose Python value has no distinct .NET input: only the parser is tested against them (and the reason).</summary>
    private static readonly Dictionary<string, string> ParseOnly = new()
    {
        ["ser_serpent_decimal"] = "36 significant digits do not fit System.Decimal (28-29 digits)",
        ["ser_serpent_decimal_exp"] = "Decimal('-1E+10') has a positive exponent, which System.Decimal cannot hold",
        ["ser_serpent_enum"] = "a str-valued Python Enum; .NET enums are numeric (covered by SerpentWriterTests)",
        ["ser_serpent_array_unicode"] = "array('u') has no .NET counterpart distinct from string",
        ["ser_serpent_custom_object"] = "a Python class instance (the emitter is checked with its raw literal dict)",
        ["ser_serpent_exception_builtin"] = "a Python exception (the emitter is checked with its __exception__ dict)",
        ["ser_serpent_exception_custom"] = "a Python exception (the emitter is checked with its __exception__ dict)",
        ["ser_serpent_ordereddict"] = "collections.OrderedDict (the emitter is checked with its raw literal dict)",
        ["ser_serpent_uri"] = "a Pyro4 URI object (checked by parse + re-serialize identity)",
        ["ser_serpent_uri_unix"] = "a Pyro4 URI object (checked by parse + re-serialize identity)",
        ["ser_serpent_proxy"] = "a Pyro4 Proxy object (checked by parse + re-serialize identity)",
    };

    /// <summary>Vectors with per-item tables, tested item by item below.</summary>
    private static readonly HashSet<string> TableVectors = ["ser_serpent_float_format_table", "ser_serpent_string_escape_table"];

    public static TheoryData<string> SerpentVectors => Vector.Theory("ser_serpent_", "serpent");

    public static TheoryData<string> EmitterVectors
    {
        get
        {
            var data = new TheoryData<string>();
            foreach (var name in Vector.Names("ser_serpent_"))
            {
                if (Vector.Load(name).Kind == "serpent" && !name.StartsWith("ser_serpent_parse_") && !TableVectors.Contains(name)) data.Add(name);
            }
            return data;
        }
    }

    private static string Text(byte[] bytes) => Encoding.UTF8.GetString(bytes);

    private static void AssertBytes(byte[] expected, byte[] actual, string because)
    {
        Assert.True(expected.AsSpan().SequenceEqual(actual), $"{because}:\nexpected: {Text(expected)}\nactual:   {Text(actual)}");
    }

    [Theory]
    [MemberData(nameof(EmitterVectors))]
    public void Serialize_matches_python_bytes(string name)
    {
        var v = Vector.Load(name);
        var decoded = v.Decoded;
        object? input;
        if (DotNetInputs.TryGetValue(name, out input))
        {
            // built above
        }
        else if (ParseOnly.TryGetValue(name, out var reason))
        {
            if (decoded.TryGetProperty("raw_literal", out _) ||
                (decoded.GetProperty("loads_result") is { ValueKind: JsonValueKind.Object } result && result.TryGetProperty("$exception", out _)))
            {
                // The Python object travels as a plain class dict; writing that dict must give the same bytes.
                input = SerpentVectorValues.ExpectedLoad(v);
            }
            else if (SerpentVectorValues.ExpectedLoad(v) is SerpentClassDict)
            {
                input = Serpent.Deserialize(v.Bytes); // round-trip identity for the Pyro class dicts
            }
            else
            {
                Assert.True(Serpent.Deserialize(v.Bytes) is not null || decoded.GetProperty("loads_result").ValueKind == JsonValueKind.Null, reason);
                return; // parse-only: Deserialize_matches_loads_result covers it
            }
        }
        else
        {
            var value = decoded.GetProperty("value");
            Assert.False(value.ValueKind == JsonValueKind.Object && value.TryGetProperty("$repr", out _),
                $"{name} is unclassified: its value is a $repr; add a .NET input or a parse-only reason");
            input = TypedNotation.ToValue(value);
        }
        AssertBytes(v.Bytes, Serpent.Serialize(input), name);
    }

    [Theory]
    [MemberData(nameof(SerpentVectors))]
    public void Deserialize_matches_loads_result(string name)
    {
        var v = Vector.Load(name);
        if (TableVectors.Contains(name)) return; // item tables: see the dedicated tests
        object? actual = Serpent.Deserialize(v.Bytes);
        SerpentVectorValues.AssertMatches(SerpentVectorValues.ExpectedLoad(v), actual, name);
    }

    [Fact]
    public void Every_serpent_vector_is_classified()
    {
        foreach (var name in Vector.Names("ser_serpent_"))
        {
            var v = Vector.Load(name);
            Assert.True(v.Kind is "serpent" or "serpent_error", $"{name}: unexpected kind {v.Kind}");
        }
        foreach (var name in DotNetInputs.Keys.Concat(ParseOnly.Keys)) Assert.True(File.Exists(Path.Combine(Vector.Directory, name + ".json")), name);
        Assert.True(Vector.Names("ser_serpent_").Count() >= 80);
    }

    [Fact]
    public void Dict_with_None_key_is_refused_like_python()
    {
        var v = Vector.Load("ser_serpent_dict_none_key");
        Assert.Equal("serpent_error", v.Kind);
        var dict = new PairListDictionary([new(null!, "none")]);
        var ex = Assert.Throws<SerializeException>(() => Serpent.Serialize(dict));
        Assert.Contains("dict key", ex.Message);
    }

    [Fact]
    public void Float_format_table_item_by_item()
    {
        var v = Vector.Load("ser_serpent_float_format_table");
        var all = new List<object?>();
        foreach (var item in v.Decoded.GetProperty("table").EnumerateArray())
        {
            double d = BitConverter.Int64BitsToDouble(Convert.ToInt64(item.GetProperty("ieee754_hex").GetString(), 16));
            string repr = item.GetProperty("repr").GetString()!;
            all.Add(d);
            Assert.Equal(repr, PythonFloat.Format(d));
            Assert.Equal(repr, PythonRepr.Format(d));
            byte[] expected = [.. Header, .. Encoding.ASCII.GetBytes(repr)];
            AssertBytes(expected, Serpent.Serialize(d), repr);
            object? back = Serpent.Deserialize(expected);
            Assert.Equal(BitConverter.DoubleToInt64Bits(d), BitConverter.DoubleToInt64Bits(Assert.IsType<double>(back)));
        }
        AssertBytes(v.Bytes, Serpent.Serialize(all), "whole table");
    }

    [Fact]
    public void String_escape_table_item_by_item()
    {
        var v = Vector.Load("ser_serpent_string_escape_table");
        var all = new StringBuilder();
        int count = 0;
        foreach (var item in v.Decoded.GetProperty("table").EnumerateArray())
        {
            int cp = item.GetProperty("codepoint").GetInt32();
            string s = cp is >= 0xD800 and <= 0xDFFF ? ((char)cp).ToString() : char.ConvertFromUtf32(cp);
            string serpentText = item.GetProperty("serpent_text").GetString()!;
            all.Append(s);
            count++;
            AssertBytes([.. Header, .. Encoding.UTF8.GetBytes(serpentText)], Serpent.Serialize(s), $"U+{cp:X4}");
            Assert.Equal(item.GetProperty("python_repr").GetString(), PythonRepr.Format(s));
            Assert.Equal(s, Serpent.Deserialize([.. Header, .. Encoding.UTF8.GetBytes(serpentText)]));
        }
        Assert.True(count > 60);
        // The whole text holds all code points in one str. It ends in two lone surrogates \ud800\udfff, which a .NET
        // string can only hold as a valid surrogate pair, so only the parse direction is compared for the whole text.
        var parsed = Assert.IsType<List<object?>>(Serpent.Deserialize(v.Bytes));
        Assert.Equal(all.ToString(), Assert.Single(parsed));
    }

    // ---- payloads of every serpent message in the msg_* and cap_* vectors ----

    public static TheoryData<string> MessageVectors
    {
        get
        {
            var data = new TheoryData<string>();
            foreach (var name in Vector.Names("msg_").Concat(Vector.Names("cap_")))
            {
                if (SerpentPayloads(Vector.Load(name)).Any()) data.Add(name);
            }
            return data;
        }
    }

    private static IEnumerable<(byte[] Payload, JsonElement Decoded)> SerpentPayloads(Vector v)
    {
        IEnumerable<(byte[] Message, JsonElement Decoded)> messages = v.Kind switch
        {
            "message" => [(v.Bytes, v.Decoded)],
            "conversation" => v.Decoded.GetProperty("messages").EnumerateArray()
                .Select(m => (Convert.FromHexString(m.GetProperty("hex").GetString()!), m)),
            _ => [],
        };
        foreach (var (message, decoded) in messages)
        {
            if (!decoded.TryGetProperty("header", out var header) || header.GetProperty("serializer_id").GetInt32() != 1) continue;
            if (!decoded.TryGetProperty("payload", out _)) continue;
            int offset = 24 + header.GetProperty("annotations_size").GetInt32();
            byte[] payload = message.AsSpan(offset, header.GetProperty("data_size").GetInt32()).ToArray();
            if (decoded.TryGetProperty("payload_compressed", out var c) && c.GetBoolean())
            {
                using var z = new ZLibStream(new MemoryStream(payload), CompressionMode.Decompress);
                var plain = new MemoryStream();
                z.CopyTo(plain);
                payload = plain.ToArray();
            }
            yield return (payload, decoded);
        }
    }

    [Theory]
    [MemberData(nameof(MessageVectors))]
    public void Message_payloads_parse_and_reserialize_identically(string name)
    {
        int n = 0;
        foreach (var (payload, decoded) in SerpentPayloads(Vector.Load(name)))
        {
            object? value = Serpent.Deserialize(payload);
            SerpentVectorValues.AssertMatches(SerpentVectorValues.Expected(decoded.GetProperty("payload")), value, $"{name} #{n}");
            AssertBytes(payload, Serpent.Serialize(value), $"{name} #{n} re-serialized");
            n++;
        }
        Assert.True(n > 0);
    }

    [Fact]
    public void SerializeCall_matches_python_invoke_payload()
    {
        var v = Vector.Load("msg_invoke_echo_serpent");
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        Serpent.SerializeCall(buffer, "test.echoserver", "echo", new PyTuple("hello"), new Dictionary<string, object?>());
        AssertBytes(v.Bytes[24..], buffer.WrittenSpan.ToArray(), "call");
        var call = Serpent.DeserializeCall(v.Bytes.AsSpan(24));
        Assert.Equal("test.echoserver", call.ObjectId);
        Assert.Equal("echo", call.Method);
        Assert.Equal("hello", Assert.Single(call.Args));
        Assert.Empty(call.Kwargs!);
    }
}

/// <summary>A minimal dictionary that can hold a null key (no BCL dictionary can), for the None-key vector.</summary>
internal sealed class PairListDictionary(List<KeyValuePair<object, object?>> pairs) : IReadOnlyDictionary<object, object?>
{
    public object? this[object key] => pairs.First(p => Equals(p.Key, key)).Value;
    public IEnumerable<object> Keys => pairs.Select(p => p.Key);
    public IEnumerable<object?> Values => pairs.Select(p => p.Value);
    public int Count => pairs.Count;
    public bool ContainsKey(object key) => pairs.Any(p => Equals(p.Key, key));
    public bool TryGetValue(object key, out object? value)
    {
        value = null;
        return false;
    }
    public IEnumerator<KeyValuePair<object, object?>> GetEnumerator() => pairs.GetEnumerator();
    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}
