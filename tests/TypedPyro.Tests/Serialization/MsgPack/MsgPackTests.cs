using System.Buffers;
using System.Numerics;
using TypedPyro.Serialization;
using TypedPyro.Tests.Support;
using Vector = TypedPyro.Tests.Support.Vector;

namespace TypedPyro.Tests.Serialization.MsgPack;

public class MsgPackTests
{
    private static readonly PyroSerializer MsgPack = PyroSerializers.MsgPack;

    private static string PayloadHex(string vector)
    {
        var v = Vector.Load(vector);
        return Convert.ToHexStringLower(v.Bytes.AsSpan(v.Decoded.GetProperty("payload_hex_offset").GetInt32()));
    }

    [Fact]
    public void Call_and_result_match_pythons_bytes()
    {
        var buffer = new ArrayBufferWriter<byte>();
        MsgPack.SerializeCall(buffer, "test.echoserver", "echo", new PyTuple("hello"), new Dictionary<string, object?>());
        Assert.Equal(PayloadHex("msg_invoke_echo_msgpack"), Convert.ToHexStringLower(buffer.WrittenSpan));
        Assert.Equal(PayloadHex("msg_result_echo_msgpack"), Convert.ToHexStringLower(MsgPack.Serialize("hello")));
        var call = MsgPack.DeserializeCall(Convert.FromHexString(PayloadHex("msg_invoke_echo_msgpack")));
        Assert.Equal(("test.echoserver", "echo", "hello"), (call.ObjectId, call.Method, (string)call.Args[0]!));
    }

    public static TheoryData<object?> Values => new()
    {
        null, true, false, 0L, 127L, 128L, 255L, 256L, 65535L, 65536L, -1L, -32L, -33L, -128L, -129L, -32768L, -32769L,
        long.MinValue, long.MaxValue, 1.5, double.NaN, double.NegativeInfinity, "", "hello", new string('x', 40), new string('y', 300),
        "héllo \u2603 \U0001F600", new BigInteger(ulong.MaxValue), BigInteger.Pow(10, 40), -BigInteger.Pow(10, 40),
        new List<object?> { 1L, "two", null }, new Complex(1.5, -2),
    };

    [Theory]
    [MemberData(nameof(Values), DisableDiscoveryEnumeration = true)]
    public void Values_round_trip(object? value)
        => Assert.Equal(value, MsgPack.Deserialize(MsgPack.Serialize(value)), PyValueComparer.Instance);

    [Fact]
    public void Bytes_travel_as_bin_without_base64()
    {
        var data = new byte[100_000];
        new Random(3).NextBytes(data);
        var wire = MsgPack.Serialize(data);
        Assert.Equal(100_005, wire.Length); // c6 + 4-byte length + the bytes
        Assert.Equal(data, (byte[])MsgPack.Deserialize(wire)!);
    }

    [Fact]
    public void Tuples_and_sets_become_lists_and_dicts_keep_their_keys()
    {
        var value = new Dictionary<object, object?> { ["t"] = new PyTuple(1L, 2L), [3L] = new HashSet<object?> { "a" } };
        var back = (Dictionary<object, object?>)MsgPack.Deserialize(MsgPack.Serialize(value))!;
        Assert.Equal(new List<object?> { 1L, 2L }, back["t"]);
        Assert.Equal(new List<object?> { "a" }, back[3L]);
    }

    [Theory]
    [InlineData("c1")]
    [InlineData("dbffffffff")]
    [InlineData("c6ffffff00")]
    [InlineData("dd7fffffff")]
    [InlineData("a5616263")]
    [InlineData("c70261ff00")]
    [InlineData("9201")]
    [InlineData("c3c3")]
    public void Garbage_is_a_serialize_error(string hex)
        => Assert.Throws<SerializeException>(() => MsgPack.Deserialize(Convert.FromHexString(hex)));

    [Fact]
    public void Deep_nesting_is_refused()
    {
        var data = Enumerable.Repeat((byte)0x91, 5000).Append((byte)0xc0).ToArray();
        Assert.Throws<SerializeException>(() => MsgPack.Deserialize(data));
    }
}
