using System.Buffers;
using System.Buffers.Binary;
using BigInteger = System.Numerics.BigInteger;
using Complex = System.Numerics.Complex;
using System.Text;
using System.Text.Json;
using CsCheck;
using TypedPyro.Serialization;
using TypedPyro.Tests.Support;
using TypedPyro.Tests.Serialization.Json;

namespace TypedPyro.Tests.Serialization.Marshal;

/// <summary>
/// The marshal serializer against the marshal traffic in the vectors (CONNECTFAIL reasons, BLBI, the marshal echo
/// conversation), garbage input and round trips.
/// </summary>
public class MarshalTests
{
    private static readonly MarshalSerializer Marshal = MarshalSerializer.Instance;

    public static TheoryData<string> MarshalPayloads => VectorMessages.Theory(3);

    public static TheoryData<string> ConnectFails => VectorMessages.Theory(3, m => m.Type == VectorMessage.MsgConnectFail);

    [Fact]
    public void Vectors_contain_marshal_traffic()
    {
        var all = VectorMessages.WithSerializer(3).ToList();
        // msg_connectfail_marshal, the cap_ CONNECTFAILs (unaccepted serializer, thread pool, 3 hmac), 5 probes,
        // the marshal echo conversation (4) and msg_invoke/result_echo_marshal.
        Assert.True(all.Count >= 17, $"only {all.Count} marshal messages");
        Assert.True(all.Count(m => m.Type == VectorMessage.MsgConnectFail) >= 11);
    }

    [Theory]
    [MemberData(nameof(MarshalPayloads))]
    public void Payload_decodes_to_the_vector_value(string id)
    {
        var m = VectorMessages.Get(id);
        JsonAssert.Equal(TypedNotation.ToValue(m.Decoded.GetProperty("payload")), Marshal.Deserialize(m.Payload));
    }

    [Theory]
    [MemberData(nameof(ConnectFails))]
    public void Connectfail_reason_is_encoded_exactly_as_python(string id)
    {
        var m = VectorMessages.Get(id);
        string reason = m.Decoded.GetProperty("payload").GetString()!;
        Assert.Equal(reason, Marshal.Deserialize(m.Payload));
        JsonAssert.EqualBytes(m.Payload, Marshal.Serialize(reason));
    }

    [Fact]
    public void Connectok_with_back_references_decodes()
    {
        // cap_echo_marshal's CONNECTOK uses `r` references for method names repeated in "oneway".
        var m = VectorMessages.WithSerializer(3).Single(x => x.Vector == "cap_echo_marshal" && x.Type == VectorMessage.MsgConnectOk);
        Assert.Contains((byte)'r', m.Payload);
        var value = (Dictionary<object, object?>)Marshal.Deserialize(m.Payload)!;
        var meta = (Dictionary<object, object?>)value["meta"]!;
        var methods = (List<object?>)meta["methods"]!;
        var oneway = (List<object?>)meta["oneway"]!;
        Assert.All(oneway, name => Assert.Contains(name, methods));
        // The back-reference yields the very same string instance.
        Assert.Same(methods.Single(x => (string)x! == "oneway_echo"), oneway.Single(x => (string)x! == "oneway_echo"));
    }

    private static byte[] BlobInfoAnnotation(string vector)
    {
        var v = Vector.Load(vector);
        IEnumerable<JsonElement> messages = v.Decoded.TryGetProperty("messages", out var list) ? list.EnumerateArray() : [v.Decoded];
        var hex = messages.SelectMany(m => m.GetProperty("annotations").EnumerateArray())
            .First(a => a.GetProperty("key").GetString() == "BLBI").GetProperty("hex").GetString()!;
        return Convert.FromHexString(hex);
    }

    [Fact]
    public void Blob_info_is_byte_identical_to_the_real_capture()
    {
        byte[] expected = BlobInfoAnnotation("cap_serializedblob_serpent");
        var (info, objectId, method) = Marshal.DeserializeBlobInfo(expected);
        Assert.Equal(("blobinfo-1", "features", "accept_blob"), ((string)info!, objectId, method));
        JsonAssert.EqualBytes(expected, Marshal.SerializeBlobInfo(info, objectId, method));
        var buffer = new ArrayBufferWriter<byte>();
        Marshal.SerializeBlobInfo(buffer, info, objectId, method);
        JsonAssert.EqualBytes(expected, buffer.WrittenSpan.ToArray());
    }

    [Fact]
    public void Blob_info_of_the_message_vector_decodes_and_differs_only_in_ref_and_intern_flags()
    {
        // msg_invoke_serializedblob_serpent was produced with other reference counts: a9 (tuple with FLAG_REF) and an
        // interned object id. Readers ignore both bits; TypedPyro writes what the real capture shows.
        byte[] python = BlobInfoAnnotation("msg_invoke_serializedblob_serpent");
        var (info, objectId, method) = Marshal.DeserializeBlobInfo(python);
        Assert.Equal(("blobinfo-1", "dispatcher", "process"), ((string)info!, objectId, method));
        byte[] ours = Marshal.SerializeBlobInfo(info, objectId, method);
        Assert.Equal(python.Length, ours.Length);
        Assert.Equal(Normalized(python), Normalized(ours));
        Assert.Equal(Marshal.Deserialize(python), Marshal.Deserialize(ours), PyValueComparer.Instance);
        Assert.Throws<SerializeException>(() => Marshal.DeserializeBlobInfo(Marshal.Serialize(new PyTuple("a", "b"))));
        Assert.Throws<SerializeException>(() => Marshal.DeserializeBlobInfo(Marshal.Serialize(new PyTuple("a", 1L, "c"))));
    }

    /// <summary>Clears FLAG_REF and maps interned str codes to plain ones, for a simple 3-tuple of short strings.</summary>
    private static byte[] Normalized(byte[] tupleOfShortStrings)
    {
        var copy = (byte[])tupleOfShortStrings.Clone();
        copy[0] &= 0x7f;
        int pos = 2;
        while (pos < copy.Length)
        {
            copy[pos] = (byte)((copy[pos] & 0x7f) == 'Z' ? 'z' : copy[pos] & 0x7f);
            pos += 2 + copy[pos + 1];
        }
        return copy;
    }

    [Fact]
    public void Call_round_trips_and_matches_python_layout()
    {
        var m = VectorMessages.WithSerializer(3).Single(x => x.Vector == "msg_invoke_echo_marshal");
        var call = Marshal.DeserializeCall(m.Payload);
        Assert.Equal("test.echoserver", call.ObjectId);
        Assert.Equal("echo", call.Method);
        Assert.Equal(["hello"], call.Args);
        Assert.Empty(call.Kwargs!);

        var buffer = new ArrayBufferWriter<byte>();
        Marshal.SerializeCall(buffer, call.ObjectId, call.Method, new PyTuple("hello"), new Dictionary<string, object?>());
        byte[] ours = buffer.WrittenSpan.ToArray();
        // Python interned the literal 'hello' (da); TypedPyro cannot know that and writes fa. Everything else is equal.
        Assert.Equal(m.Payload.Length, ours.Length);
        int hello = m.Payload.AsSpan().IndexOf("\x05hello"u8) - 1;
        Assert.Equal(0xda, m.Payload[hello]);
        Assert.Equal(0xfa, ours[hello]);
        Assert.Equal(m.Payload[..hello], ours[..hello]);
        Assert.Equal(m.Payload[(hello + 1)..], ours[(hello + 1)..]);
        Assert.Equal(Marshal.Deserialize(m.Payload), Marshal.Deserialize(ours), PyValueComparer.Instance);

        buffer.Clear();
        Marshal.SerializeCall(buffer, "o", "m", [], null);
        var none = Marshal.DeserializeCall(buffer.WrittenSpan);
        Assert.Null(none.Kwargs);
        Assert.Empty(none.Args);
    }

    [Fact]
    public void Strings_use_python_codes()
    {
        Assert.Equal("fa0161", Hex("a"));
        Assert.Equal("da00", Hex("")); // CPython's empty str is interned
        Assert.Equal("e12c010000", Hex(new string('x', 300))[..10]);
        Assert.Equal("fa" + "ff", Hex(new string('x', 255))[..4]);
        Assert.Equal("f50600000068c3a96c6c6f", Hex("héllo"));
        Assert.Equal("f503000000eda080", Hex("\ud800"));
        Assert.Equal("f508000000eda08078f09f9880", Hex("\ud800x\U0001F600"));
        Assert.Equal("\ud800x\U0001F600", Marshal.Deserialize(Convert.FromHexString("f508000000eda08078f09f9880")));
        Assert.Equal("fa0178", Hex('x'));
    }

    [Fact]
    public void Numbers_use_python_codes()
    {
        Assert.Equal("e905000000", Hex(5));
        Assert.Equal("e9ffffff7f", Hex(int.MaxValue));
        Assert.Equal("ec03000000000000000200", Hex(1L << 31));
        Assert.Equal("ec03000000000000000004", Hex(1L << 40));
        Assert.Equal("ecfdffffff000000000004", Hex(-(1L << 40)));
        Assert.Equal("e7000000000000f83f", Hex(1.5));
        Assert.Equal("f9000000000000f03f0000000000000040", Hex(new Complex(1, 2)));
        Assert.Equal("f3020000006162", Hex(new byte[] { 0x61, 0x62 }));
        Assert.Equal("4e", Hex(null));
        Assert.Equal("54", Hex(true));
        Assert.Equal("46", Hex(false));
    }

    [Fact]
    public void Containers_use_python_codes()
    {
        Assert.Equal("2902fa0161e901000000", Hex(new PyTuple("a", 1L)));
        Assert.Equal("2900", Hex(PyTuple.Empty));
        Assert.Equal("282c010000", Hex(new PyTuple(Enumerable.Repeat<object?>(null, 300).ToArray()))[..10]);
        Assert.Equal("db01000000e901000000", Hex(new List<object?> { 1L }));
        Assert.Equal("fbfa0161e90100000030", Hex(new Dictionary<object, object?> { ["a"] = 1L }));
        Assert.Equal("bc01000000e901000000", Hex(new HashSet<object?> { 1L }));
        Assert.Equal("2902fa0161fa0162", Hex(new[] { "a", "b" })); // arrays are tuples
    }

    private static string Hex(object? value) => Convert.ToHexString(Marshal.Serialize(value)).ToLowerInvariant();

    [Fact]
    public void Big_integers_round_trip()
    {
        var values = new List<BigInteger> { 0, 1, -1, int.MaxValue, int.MinValue, (BigInteger)int.MaxValue + 1, (BigInteger)int.MinValue - 1, long.MaxValue, long.MinValue, ulong.MaxValue, BigInteger.Pow(2, 1000) - 1, -BigInteger.Pow(3, 700) };
        for (int bits = 1; bits < 200; bits += 7) values.Add(BigInteger.One << bits);
        foreach (var v in values)
        {
            object? back = Marshal.Deserialize(Marshal.Serialize(v));
            object expected = v >= long.MinValue && v <= long.MaxValue ? (object)(long)v : v;
            Assert.Equal(expected, back);
        }
        Gen.Byte.Array[0, 64].Select(b => new BigInteger(b)).Sample(v =>
        {
            object expected = v >= long.MinValue && v <= long.MaxValue ? (object)(long)v : v;
            Assert.Equal(expected, Marshal.Deserialize(Marshal.Serialize(v)));
        }, iter: 2000);
    }

    /// <summary>Values marshal can carry, tuples and sets included (they keep their type).</summary>
    private static readonly Gen<object?> GenMarshalValue = Gen.Recursive<object?>((depth, self) =>
    {
        var scalar = Gen.Frequency(
            (1, Gen.Bool.Select(_ => (object?)null)),
            (1, Gen.Bool.Select(b => (object?)b)),
            (3, JsonPropertyTests.GenInteger.Select(i => (object?)i)),
            (2, JsonPropertyTests.GenDouble.Select(d => (object?)d)),
            (3, JsonPropertyTests.GenString(loneSurrogates: true).Select(s => (object?)s)),
            (1, Gen.Byte.Array[0, 8].Select(b => (object?)b)),
            (1, Gen.Select(Gen.Double, Gen.Double).Select(t => (object?)new Complex(t.Item1, t.Item2))));
        if (depth >= 4) return scalar;
        return Gen.Frequency(
            (6, scalar),
            (2, self.Array[0, 5].Select(items => (object?)items.ToList())),
            (2, self.Array[0, 4].Select(items => (object?)new PyTuple(items))),
            (1, JsonPropertyTests.GenString(false).Array[0, 4].Select(items => (object?)new HashSet<object?>(items, PyValueComparer.Instance))),
            (2, Gen.Dictionary(JsonPropertyTests.GenString(true), self)[0, 4].Select(d => (object?)new Dictionary<object, object?>(d.Select(p => new KeyValuePair<object, object?>(p.Key, p.Value)), PyValueComparer.Instance))));
    });

    private static object? Expected(object? value) => value switch
    {
        BigInteger b when b >= long.MinValue && b <= long.MaxValue => (long)b,
        PyTuple t => new PyTuple(t.Select(Expected).ToArray()),
        List<object?> l => l.Select(Expected).ToList(),
        Dictionary<object, object?> d => new Dictionary<object, object?>(d.Select(p => new KeyValuePair<object, object?>(p.Key, Expected(p.Value))), PyValueComparer.Instance),
        _ => value,
    };

    [Fact]
    public void Round_trip_keeps_values_and_their_python_types()
    {
        GenMarshalValue.Sample(value =>
        {
            var back = Marshal.Deserialize(Marshal.Serialize(value));
            JsonAssert.Equal(Expected(value), back);
            Assert.Equal(Marshal.Serialize(value), Marshal.Serialize(back));
        }, iter: 2000, print: JsonAssert.Show);
    }

    [Fact]
    public void Every_truncation_of_valid_data_is_refused()
    {
        foreach (var m in VectorMessages.WithSerializer(3))
        {
            for (int i = 0; i < m.Payload.Length; i++)
            {
                Assert.Throws<SerializeException>(() => Marshal.Deserialize(m.Payload.AsSpan(0, i)));
            }
            var extra = m.Payload.Append((byte)'N').ToArray();
            Assert.Throws<SerializeException>(() => Marshal.Deserialize(extra));
        }
    }

    [Theory]
    [InlineData("", "end of data")]
    [InlineData("30", "NULL")]                        // a bare NULL
    [InlineData("5b0100000030", "NULL")]              // NULL inside a list
    [InlineData("7b4e4e30", "None as a dict key")]
    [InlineData("7bfa016130", "NULL")]                // a key without a value
    [InlineData("7b", "end of data")]
    [InlineData("73ffffff7f", "end of data")]         // bytes claiming 2 GiB
    [InlineData("73ffffffff", "negative size")]
    [InlineData("5bffffff7f", "end of data")]         // list claiming 2^31-1 items
    [InlineData("5bffffffff", "size out of range")]
    [InlineData("28ffffff7f", "end of data")]
    [InlineData("3cffffff7f", "end of data")]
    [InlineData("61ffffff7f", "end of data")]
    [InlineData("75ffffff7f", "end of data")]
    [InlineData("6cffffff7f", "end of data")]         // long claiming 2^31-1 digits
    [InlineData("6c00000080", "out of range")]        // long with INT_MIN digits
    [InlineData("6c010000000000", "unnormalized")]
    [InlineData("6c010000000080", "digit out of range")]
    [InlineData("7200000000", "invalid reference")]
    [InlineData("2902e9010000007201000000", "invalid reference")]
    [InlineData("e901000000", "unexpected bytes")]  // valid int followed by nothing: ok? (see below)
    [InlineData("db01000000" + "7200000000", "circular")] // a list containing itself
    [InlineData("a901" + "7200000000", "circular")]     // a tuple containing itself
    [InlineData("fb" + "fa0161" + "7200000000" + "30", "circular")]
    [InlineData("53", "StopIteration")]
    [InlineData("2e", "Ellipsis")]
    [InlineData("63", "code objects")]
    [InlineData("3f", "unknown type code")]
    [InlineData("ff", "unknown type code")]
    [InlineData("7502000000c328", "UTF-8")]
    [InlineData("75030000006564a0", "UTF-8")]
    [InlineData("7b5b000000004e30", "unhashable")]
    [InlineData("3c010000005b00000000", "unhashable")]
    [InlineData("660378797a", "float")]
    public void Bad_data_raises_serialize_exception(string hex, string messagePart)
    {
        byte[] data = Convert.FromHexString(hex);
        if (hex == "e901000000")
        {
            Assert.Equal(1L, Marshal.Deserialize(data)); // control: the valid prefix
            data = [.. data, 0x4e];
        }
        var e = Assert.Throws<SerializeException>(() => Marshal.Deserialize(data));
        Assert.Contains(messagePart, e.Message);
        Assert.StartsWith("bad marshal data", e.Message);
    }

    [Fact]
    public void Back_reference_bombs_are_refused()
    {
        // l0 = [x]; l(n+1) = [r(ln), r(ln)]: 40 levels would describe 2^40 elements in a few hundred bytes.
        var bytes = new List<byte>();
        bytes.AddRange(Convert.FromHexString("db02000000")); // refs[0] = outer list of 2
        int levels = 40;
        // Build nested: each level a list of 2 whose first element is the next level and second a reference to it.
        for (int i = 0; i < levels; i++) bytes.AddRange(Convert.FromHexString("db02000000"));
        bytes.AddRange(Convert.FromHexString("4e4e")); // innermost list [None, None]
        for (int i = levels; i >= 1; i--)
        {
            bytes.Add((byte)'r');
            bytes.AddRange(BitConverter.GetBytes(i)); // second element: a reference to the list just finished
        }
        bytes.Add((byte)'N'); // second element of the outermost list
        var e = Assert.Throws<SerializeException>(() => Marshal.Deserialize(bytes.ToArray()));
        Assert.Contains("back-references", e.Message);

        // A few shared references are fine.
        var shared = Convert.FromHexString("2902" + "db01000000e901000000" + "7200000000");
        var tuple = (PyTuple)Marshal.Deserialize(shared)!;
        Assert.Same(tuple[0], tuple[1]);
    }

    [Fact]
    public void Deep_nesting_is_refused_not_a_stack_overflow()
    {
        byte[] deep = Enumerable.Repeat(Convert.FromHexString("5b01000000"), 100_000).SelectMany(x => x).Append((byte)'N').ToArray();
        var e = Assert.Throws<SerializeException>(() => Marshal.Deserialize(deep));
        Assert.Contains("nesting", e.Message);
        byte[] ok = Enumerable.Repeat(Convert.FromHexString("5b01000000"), 999).SelectMany(x => x).Append((byte)'N').ToArray();
        Assert.IsType<List<object?>>(Marshal.Deserialize(ok));
        var list = new List<object?>();
        list.Add(list);
        Assert.Throws<SerializeException>(() => Marshal.Serialize(list));
    }

    [Fact]
    public void Flags_on_singletons_do_not_take_a_reference_slot()
    {
        // CPython ignores FLAG_REF on None/True/False: the next flagged object is still index 0.
        var value = (PyTuple)Marshal.Deserialize(Convert.FromHexString("2903" + "ce" + "fa0161" + "7200000000"))!;
        Assert.Null(value[0]);
        Assert.Equal("a", value[1]);
        Assert.Equal("a", value[2]);
    }

    [Fact]
    public void Other_codes_python_reads_are_read()
    {
        Assert.Equal(long.MinValue, Marshal.Deserialize(Convert.FromHexString("490000000000000080"))); // 'I' int64
        Assert.Equal(2.5, Marshal.Deserialize(Convert.FromHexString("6603322e35")));                     // 'f' text float
        Assert.Equal(double.PositiveInfinity, Marshal.Deserialize(Convert.FromHexString("660369 6e66".Replace(" ", ""))));
        Assert.Equal(new Complex(1, -2), Marshal.Deserialize(Convert.FromHexString("78" + "0131" + "02" + "2d32")));  // 'x'
        Assert.Equal("é", Marshal.Deserialize(Convert.FromHexString("7a01e9")));          // short ascii code with a latin-1 byte
        Assert.Equal("ab", Marshal.Deserialize(Convert.FromHexString("410200000061 62".Replace(" ", ""))));  // 'A'
        Assert.Equal("ab", Marshal.Deserialize(Convert.FromHexString("74020000006162")));    // 't'
        var frozen = Assert.IsType<HashSet<object?>>(Marshal.Deserialize(Convert.FromHexString("3e01000000e901000000")));
        Assert.Contains(1L, frozen);
        Assert.Empty(Assert.IsType<HashSet<object?>>(Marshal.Deserialize(Convert.FromHexString("3e00000000"))));
        Assert.Equal(PyTuple.Empty, Marshal.Deserialize(Convert.FromHexString("2800000000")));
    }

    [Fact]
    public void Random_bytes_only_ever_raise_serialize_exception()
    {
        var alphabet = Gen.Frequency(
            (4, Gen.OneOf("NTF0ilgsuzZaAt)([{<>r\x01\x00\x02\xff\x80"u8.ToArray().SelectMany(b => new[] { b, (byte)(b | 0x80) }).ToArray())),
            (2, Gen.Byte[0, 4]),
            (1, Gen.Byte));
        alphabet.Array[0, 40].Sample(ReadDefensively, iter: 20_000);
        Gen.Select(GenMarshalValue, Gen.Int[0, 1000], Gen.Byte).Sample((value, at, b) =>
        {
            var bytes = Marshal.Serialize(value);
            if (bytes.Length == 0) return;
            bytes[at % bytes.Length] = b;
            ReadDefensively(bytes);
        }, iter: 5_000);
    }

    private static void ReadDefensively(byte[] bytes)
    {
        try
        {
            Marshal.Deserialize(bytes);
        }
        catch (SerializeException)
        {
        }
    }

    [Fact]
    public void Writer_refuses_what_it_cannot_carry()
    {
        Assert.Throws<SerializeException>(() => Marshal.Serialize(TimeSpan.FromSeconds(1)));
        var e = Assert.Throws<SerializeException>(() => Marshal.Serialize(new Version(1, 0)));
        Assert.Contains("System.Version", e.Message);
        Assert.Equal("3.25", Marshal.Deserialize(Marshal.Serialize(3.25m)));
        Assert.Equal("2024-01-02", Marshal.Deserialize(Marshal.Serialize(new DateOnly(2024, 1, 2))));
        Assert.Equal(new List<object?> { 1L, 2L }, Marshal.Deserialize(Marshal.Serialize(new List<int> { 1, 2 })));
        Assert.IsType<HashSet<object?>>(Marshal.Deserialize(Marshal.Serialize(new HashSet<int> { 1, 2 })));
        Assert.IsType<HashSet<object?>>(Marshal.Deserialize(Marshal.Serialize(System.Collections.Immutable.ImmutableHashSet.Create("a"))));
        Assert.Equal(new byte[] { 1, 2 }, Marshal.Deserialize(Marshal.Serialize(new ReadOnlyMemory<byte>([1, 2]))));
        Assert.Equal(MarshalSerializer.DefaultMaxDepth, Marshal.MaxDepth);
        Assert.Equal(SerializerId.Marshal, Marshal.Id);
        Assert.Equal("marshal", Marshal.Name);
    }

    [Fact]
    public void Long_strings_and_big_payloads_cross_buffer_chunks()
    {
        var s = string.Concat(Enumerable.Repeat("ab\ud800é\U0001F600", 20_000));
        var bytes = Marshal.Serialize(new PyTuple(s, new byte[100_000], new string('q', 70_000)));
        var tiny = new TinyBufferWriter();
        Marshal.Serialize(tiny, new PyTuple(s, new byte[100_000], new string('q', 70_000)));
        Assert.Equal(bytes, tiny.ToArray());
        var back = (PyTuple)Marshal.Deserialize(bytes)!;
        Assert.Equal(s, back[0]);
        Assert.Equal(100_000, ((byte[])back[1]!).Length);
        Assert.Equal(Encoding.UTF8.GetByteCount(s), BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(3)));
    }
}
