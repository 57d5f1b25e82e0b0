using System.Buffers;
using System.Runtime.InteropServices;
using TypedPyro.Serialization;

namespace TypedPyro.Tests.Serialization;

/// <summary>
/// Bulk bytes arguments read from a call payload without copying (msgpack) or decoding (serpent): what is borrowed,
/// what is not, and that every way of reading a borrowed value gives what the ordinary reader gives.
/// </summary>
public sealed class BorrowedBytesTests
{
    private static byte[] Bulk(int size, int seed = 1)
    {
        var data = new byte[size];
        new Random(seed).NextBytes(data);
        return data;
    }

    private static byte[] CallPayload(PyroSerializer serializer, IReadOnlyList<object?> args, IReadOnlyDictionary<string, object?>? kwargs = null)
    {
        var buffer = new ArrayBufferWriter<byte>();
        serializer.SerializeCall(buffer, "obj", "method", args, kwargs ?? new Dictionary<string, object?>());
        return buffer.WrittenSpan.ToArray();
    }

    public static TheoryData<SerializerId> Borrowing => [SerializerId.MsgPack, SerializerId.Serpent];

    [Theory]
    [MemberData(nameof(Borrowing))]
    public void Bulk_positional_bytes_are_borrowed_and_read_back_exactly(SerializerId id)
    {
        var serializer = PyroSerializers.Find((ushort)id)!;
        var bulk = Bulk(200_000);
        var small = Bulk(100, seed: 2);
        var payload = CallPayload(serializer, new PyTuple("x", bulk, small, new List<object?> { bulk }), new Dictionary<string, object?> { ["named"] = bulk });
        var plain = serializer.DeserializeCall(payload);
        var call = serializer.DeserializeCall(payload, borrowBulkBytes: true);

        // Only the top-level positional bulk value is borrowed: small, nested and keyword values are read as usual.
        var borrowed = Assert.IsType<BorrowedBytes>(call.Args[1]);
        Assert.IsNotType<BorrowedBytes>(call.Args[2]);
        Assert.IsNotType<BorrowedBytes>(((IList<object?>)call.Args[3]!)[0]);
        Assert.IsNotType<BorrowedBytes>(call.Kwargs!["named"]);

        Assert.Equal(bulk, borrowed.View().ToArray());
        Assert.Equal(bulk, borrowed.ToArray());
        Assert.Equal(bulk, PyroConvert.ToBytes(call.Args[1]));
        Assert.Equal(bulk, PyroConvert.ToReadOnlyMemory(call.Args[1]).ToArray());
        // The object model is what the ordinary reader makes (bytes for msgpack, the base64 dict for serpent).
        Assert.Equal(Describe(plain.Args[1]), Describe(borrowed.ToObjectModel()));
        Assert.Equal(Describe(plain.Args[1]), Describe(PyroConvert.ToObject(call.Args[1])));
        var model = BorrowedBytes.ToObjectModel(call.Args);
        Assert.Equal(plain.Args.Select(Describe), model.Select(Describe));
        borrowed.Release();
    }

    [Fact]
    public void A_msgpack_view_is_the_payload_itself()
    {
        var bulk = Bulk(100_000);
        var payload = CallPayload(PyroSerializers.MsgPack, new PyTuple(bulk));
        var view = ((BorrowedBytes)PyroSerializers.MsgPack.DeserializeCall(payload, borrowBulkBytes: true).Args[0]!).View();
        Assert.True(MemoryMarshal.TryGetArray(view, out var segment));
        Assert.Same(payload, segment.Array);
        Assert.Equal(payload.Length - bulk.Length - 1, segment.Offset); // the empty kwargs map is the last byte
    }

    [Fact]
    public void Without_borrowing_or_below_the_threshold_nothing_is_borrowed()
    {
        foreach (var serializer in new[] { PyroSerializers.MsgPack, PyroSerializers.Serpent })
        {
            var under = CallPayload(serializer, new PyTuple(Bulk(BorrowedBytes.Threshold / 2)));
            Assert.IsNotType<BorrowedBytes>(serializer.DeserializeCall(under, borrowBulkBytes: true).Args[0]);
            var over = CallPayload(serializer, new PyTuple(Bulk(BorrowedBytes.Threshold)));
            Assert.IsNotType<BorrowedBytes>(serializer.DeserializeCall(over, borrowBulkBytes: false).Args[0]);
            Assert.IsType<BorrowedBytes>(serializer.DeserializeCall(over, borrowBulkBytes: true).Args[0]);
        }
    }

    [Theory]
    // Other spellings of the same dict: quotes, spacing, a trailing comma, Python's compact output.
    [InlineData("('o', 'm', ({\"data\":\"DATA\",\"encoding\":\"base64\",},), {})", true)]
    [InlineData("('o','m',({'data':'DATA','encoding':'base64'},),{})", true)]
    [InlineData("('o', 'm', [ { 'data' : 'DATA' , 'encoding' : 'base64' } ], {})", true)]
    // Not serpent's bytes form, or not plainly: read as the ordinary dict.
    [InlineData("('o', 'm', ({'encoding': 'base64', 'data': 'DATA'},), {})", false)]
    [InlineData("('o', 'm', ({'data': 'DATA', 'encoding': 'base64', 'extra': 1},), {})", false)]
    [InlineData("('o', 'm', ({'data': 'DATA', 'encoding': 'hex'},), {})", false)]
    [InlineData("('o', 'm', ({'data': 'DATA\\n', 'encoding': 'base64'},), {})", false)]
    [InlineData("('o', 'm', ({'data': 'DATA DATA', 'encoding': 'base64'},), {})", false)]
    [InlineData("('o', 'm', ({'data': b'DATA', 'encoding': 'base64'},), {})", false)]
    public void Serpent_borrows_only_the_plain_bytes_form(string template, bool borrowed)
    {
        string base64 = Convert.ToBase64String(Bulk(60_000));
        var payload = System.Text.Encoding.UTF8.GetBytes(template.Replace("DATA", base64));
        var plain = PyroSerializers.Serpent.DeserializeCall(payload);
        var call = PyroSerializers.Serpent.DeserializeCall(payload, borrowBulkBytes: true);
        Assert.Equal(borrowed, call.Args[0] is BorrowedBytes);
        Assert.Equal(Describe(plain.Args[0]), Describe(PyroConvert.ToObject(call.Args[0])));
    }

    [Fact]
    public void Invalid_base64_in_the_bytes_form_fails_as_it_does_unborrowed()
    {
        string text = new string('A', 70_001); // not a whole number of quads
        var payload = System.Text.Encoding.UTF8.GetBytes($"('o', 'm', ({{'data': '{text}', 'encoding': 'base64'}},), {{}})");
        var value = PyroSerializers.Serpent.DeserializeCall(payload, borrowBulkBytes: true).Args[0];
        Assert.IsType<BorrowedBytes>(value);
        var plain = PyroSerializers.Serpent.DeserializeCall(payload).Args[0];
        var expected = Assert.Throws<ArgumentException>(() => PyroConvert.ToBytes(plain));
        Assert.Equal(expected.Message, Assert.Throws<ArgumentException>(() => PyroConvert.ToBytes(value)).Message);
        Assert.Equal(expected.Message, Assert.Throws<ArgumentException>(() => PyroConvert.ToReadOnlyMemory(value)).Message);
    }

    [Theory]
    [MemberData(nameof(Borrowing))]
    public void Truncated_or_lying_payloads_are_serialize_errors(SerializerId id)
    {
        var serializer = PyroSerializers.Find((ushort)id)!;
        var payload = CallPayload(serializer, new PyTuple(Bulk(100_000)));
        for (int cut = 1; cut < payload.Length; cut += payload.Length / 37)
            Assert.Throws<SerializeException>(() => serializer.DeserializeCall(payload.AsMemory(0, payload.Length - cut), borrowBulkBytes: true));
        if (id == SerializerId.MsgPack)
        {
            // A bin32 header claiming more than there is.
            var lying = (byte[])payload.Clone();
            int header = Array.IndexOf(lying, (byte)0xc6);
            lying[header + 1] = 0x7f;
            var e = Assert.Throws<SerializeException>(() => serializer.DeserializeCall(lying, borrowBulkBytes: true));
            Assert.Contains("truncated", e.Message);
        }
    }

    [Fact]
    public void A_borrowed_value_names_its_python_type_in_mismatches()
    {
        var msgpack = PyroSerializers.MsgPack.DeserializeCall(CallPayload(PyroSerializers.MsgPack, new PyTuple(Bulk(70_000))), true).Args[0];
        var serpent = PyroSerializers.Serpent.DeserializeCall(CallPayload(PyroSerializers.Serpent, new PyTuple(Bulk(70_000))), true).Args[0];
        Assert.Equal("expected str, got bytes", Assert.Throws<ArgumentTypeException>(() => PyroConvert.ToString(msgpack)).Message);
        Assert.Equal("expected str, got dict", Assert.Throws<ArgumentTypeException>(() => PyroConvert.ToString(serpent)).Message);
    }

    /// <summary>A comparable rendering of an object-model value (arrays and dicts by content).</summary>
    private static string Describe(object? value) => value switch
    {
        byte[] bytes => "bytes:" + Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(bytes)),
        IDictionary<object, object?> dict => "dict{" + string.Join(",", dict.Select(p => Describe(p.Key) + "=" + Describe(p.Value))) + "}",
        string s => "str:" + (s.Length > 64 ? s.Length + ":" + s.GetHashCode() : s),
        System.Collections.IEnumerable list => "seq[" + string.Join(",", list.Cast<object?>().Select(Describe)) + "]",
        _ => value?.ToString() ?? "None",
    };
}
