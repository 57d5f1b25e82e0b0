using CsCheck;
using System.Diagnostics;
using System.Numerics;
using System.Text;
using TypedPyro.Serialization;
using TypedPyro.Tests.Serialization.Serpent;

namespace TypedPyro.Tests.Serialization.Json;

/// <summary>Reading json: Python's acceptance rules, the object model, and hostile input.</summary>
public class JsonReaderTests
{
    private static readonly PyroJsonSerializer Json = PyroJsonSerializer.Instance;

    private static object? Read(string text) => Json.Deserialize(Encoding.UTF8.GetBytes(text));

    [Theory]
    // Each of these makes Python's json.loads raise (checked with /usr/bin/python3).
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("{")]
    [InlineData("[1,")]
    [InlineData("[1,]")]
    [InlineData("{\"a\": 1,}")]
    [InlineData("tru")]
    [InlineData("nul")]
    [InlineData("True")]
    [InlineData("None")]
    [InlineData("'x'")]
    [InlineData("{'a': 1}")]
    [InlineData("{a: 1}")]
    [InlineData("01")]
    [InlineData("1.")]
    [InlineData(".5")]
    [InlineData("+1")]
    [InlineData("0x10")]
    [InlineData("1e")]
    [InlineData("--1")]
    [InlineData("nan")]
    [InlineData("inf")]
    [InlineData("infinity")]
    [InlineData("NaNx")]
    [InlineData("-NaN")]
    [InlineData("+Infinity")]
    [InlineData("- Infinity")]
    [InlineData("[NaN1]")]
    [InlineData("[1 NaN]")]
    [InlineData("{NaN: 1}")]
    [InlineData("{\"a\" NaN}")]
    [InlineData("Infinityx")]
    [InlineData("[Infinity Infinity]")]
    [InlineData("NaN NaN")]
    [InlineData("\"abc")]
    [InlineData("\"\\x41\"")]
    [InlineData("\"\\u12\"")]
    [InlineData("\"\\u12g4\"")]
    [InlineData("\"a\u0001b\"")]
    [InlineData("\"tab\there\"")]
    [InlineData("1 2")]
    [InlineData("[1] x")]
    [InlineData("/*x*/ 1")]
    [InlineData("// x\n1")]
    [InlineData("[\"NaN\" NaN]")]
    [InlineData("\"\\\"NaN")]
    public void Invalid_json_raises_serialize_exception(string text)
    {
        var e = Assert.Throws<SerializeException>(() => Read(text));
        Assert.StartsWith("invalid json", e.Message);
    }

    [Fact]
    public void Invalid_utf8_and_bom_are_refused()
    {
        Assert.Throws<SerializeException>(() => Json.Deserialize([(byte)'"', 0xff, (byte)'"']));
        Assert.Throws<SerializeException>(() => Json.Deserialize([(byte)'"', 0xc3, (byte)'"']));
        Assert.Throws<SerializeException>(() => Json.Deserialize([(byte)'"', 0xed, 0xa0, 0x80, (byte)'"'])); // encoded surrogate
        Assert.Throws<SerializeException>(() => Json.Deserialize([(byte)'"', (byte)'\\', (byte)'n', 0xff, (byte)'"'])); // escaped path
        Assert.Throws<SerializeException>(() => Json.Deserialize([0xef, 0xbb, 0xbf, (byte)'1']));
        Assert.Throws<SerializeException>(() => Json.Deserialize([0xff]));
    }

    [Fact]
    public void Bare_non_finite_tokens_are_read_where_python_reads_them()
    {
        var list = Assert.IsType<List<object?>>(Read("[ NaN ,-Infinity,\n\tInfinity, {\"k\": -Infinity, \"NaN\": NaN}, \"NaN\", \"x\\\"NaN\", 1]"));
        Assert.True(double.IsNaN((double)list[0]!));
        Assert.Equal(double.NegativeInfinity, list[1]);
        Assert.Equal(double.PositiveInfinity, list[2]);
        var map = Assert.IsType<Dictionary<object, object?>>(list[3]);
        Assert.Equal(double.NegativeInfinity, map["k"]);
        Assert.True(double.IsNaN((double)map["NaN"]!));
        Assert.Equal("NaN", list[4]);
        Assert.Equal("x\"NaN", list[5]);
        Assert.Equal(1L, list[6]);
        Assert.Equal(double.NegativeInfinity, Read("-Infinity"));
        Assert.True(double.IsNaN((double)Read(" NaN ")!));
    }

    [Fact]
    public void Numbers_follow_python()
    {
        Assert.Equal(0L, Read("-0"));
        Assert.True(double.IsNegative((double)Read("-0.0")!));
        Assert.Equal(100000.0, Read("1E5"));
        Assert.Equal(1.5, Read("15e-1"));
        Assert.Equal(long.MinValue, Read("-9223372036854775808"));
        Assert.Equal(long.MaxValue, Read("9223372036854775807"));
        Assert.Equal(BigInteger.Parse("9223372036854775808"), Read("9223372036854775808"));
        Assert.Equal(BigInteger.Parse("-9223372036854775809"), Read("-9223372036854775809"));
        Assert.Equal(double.PositiveInfinity, Read("1e400"));
        Assert.Equal(double.NegativeInfinity, Read("-1e400"));
        Assert.Equal(0.0, Read("1e-400"));
        Assert.Equal(5e-324, Read("5e-324"));
    }

    [Fact]
    public void Huge_number_tokens_do_not_hang()
    {
        var sw = Stopwatch.StartNew();
        Assert.Equal(double.PositiveInfinity, Read(new string('9', 200_000) + ".5"));
        Assert.Equal(0.0, Read("0." + new string('0', 200_000) + "1"));
        Assert.Throws<SerializeException>(() => Read(new string('7', 200_000)));
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(5), "took " + sw.Elapsed);
    }

    [Fact]
    public void Objects_keep_document_order_and_python_duplicate_rule()
    {
        var map = Assert.IsType<Dictionary<object, object?>>(Read("{\"a\": 1, \"b\": 2, \"a\": 3}"));
        Assert.Equal(["a", "b"], map.Keys.Cast<string>().ToArray());
        Assert.Equal(3L, map["a"]);
        Assert.IsType<List<object?>>(Read("[]"));
        Assert.Empty(Assert.IsType<Dictionary<object, object?>>(Read("{}")));
    }

    [Fact]
    public void Serpent_nan_dict_becomes_nan_anywhere()
    {
        Assert.True(double.IsNaN((double)Read("{\"__class__\": \"float\", \"value\": \"nan\"}")!));
        var list = (List<object?>)Read("[{\"value\": \"inf\", \"__class__\": \"float\"}, {\"a\": {\"__class__\": \"float\", \"value\": \"-inf\"}}]")!;
        Assert.Equal(double.PositiveInfinity, list[0]);
        Assert.Equal(double.NegativeInfinity, ((Dictionary<object, object?>)list[1]!)["a"]);
        // Anything else with __class__ stays a dict: nothing is instantiated from a name on the wire.
        Assert.IsType<Dictionary<object, object?>>(Read("{\"__class__\": \"float\", \"value\": \"bogus\"}"));
        Assert.IsType<Dictionary<object, object?>>(Read("{\"__class__\": \"float\", \"value\": 1}"));
        Assert.IsType<Dictionary<object, object?>>(Read("{\"__class__\": \"System.IO.File\", \"value\": \"nan\"}"));
        Assert.IsType<Dictionary<object, object?>>(Read("{\"__class__\": \"float\"}"));
    }

    [Fact]
    public void Escapes_are_decoded()
    {
        Assert.Equal("\"\\/\b\f\n\r\t\u00e9\U0001F600", Read("\"\\\"\\\\\\/\\b\\f\\n\\r\\t\\u00E9\\ud83d\\ude00\""));
        Assert.Equal("é€😀", Read("\"é€😀\""));
        Assert.Equal("\udc00x", Read("\"\\udc00x\""));
        Assert.Equal(new string('é', 1000) + "\n", Read("\"" + new string('é', 1000) + "\\n\""));
        var keyed = (Dictionary<object, object?>)Read("{\"a\\nb\": 1}")!;
        Assert.True(keyed.ContainsKey("a\nb"));
    }

    [Fact]
    public void Deep_nesting_is_refused_not_a_stack_overflow()
    {
        Assert.Throws<SerializeException>(() => Read(new string('[', 100_000) + new string(']', 100_000)));
        Assert.Throws<SerializeException>(() => Read(new string('[', 100_000)));
        Assert.Throws<SerializeException>(() => Read(string.Concat(Enumerable.Repeat("{\"a\":", 5000)) + "1" + new string('}', 5000)));
        var ok = Read(new string('[', 1000) + new string(']', 1000));
        Assert.IsType<List<object?>>(ok);
    }

    [Fact]
    public void Truncations_of_valid_json_are_refused()
    {
        string text = "{\"object\": \"x\", \"params\": [1, 2.5, -Infinity, NaN, \"é\\n\", null, true, false, {\"k\": [[]]}], \"kwargs\": {}}";
        byte[] bytes = Encoding.UTF8.GetBytes(text);
        Assert.IsType<Dictionary<object, object?>>(Json.Deserialize(bytes));
        for (int i = 0; i < bytes.Length; i++)
        {
            var prefix = bytes[..i];
            try
            {
                // A few prefixes are themselves complete documents only if they end on a value; none does here except none.
                Json.Deserialize(prefix);
                Assert.Fail("prefix accepted: " + Encoding.UTF8.GetString(prefix));
            }
            catch (SerializeException)
            {
            }
        }
    }

    [Fact]
    public void The_call_fast_path_reads_what_the_general_reader_reads()
    {
        // DeserializeCall skips the outer dict; it must agree with reading the whole document and interpreting it.
        Gen.Select(SerpentGenerators.Value(2).Array[0, 4], Gen.Bool).Sample((args, withKwargs) =>
        {
            var kwargs = withKwargs ? new Dictionary<string, object?> { ["k"] = args.Length > 0 ? args[0] : null } : new Dictionary<string, object?>();
            var buffer = new System.Buffers.ArrayBufferWriter<byte>();
            try
            {
                Json.SerializeCall(buffer, "obj", "meth", args, kwargs);
            }
            catch (SerializeException)
            {
                return; // a value json cannot carry (bytes, complex...)
            }
            var fast = Json.DeserializeCall(buffer.WrittenSpan);
            var general = (Dictionary<object, object?>)Json.Deserialize(buffer.WrittenSpan)!;
            Assert.Equal(("obj", "meth"), (fast.ObjectId, fast.Method));
            Assert.Equal((IEnumerable<object?>)general["params"]!, fast.Args, PyValueComparer.Instance);
            Assert.Equal(((Dictionary<object, object?>)general["kwargs"]!).Count, fast.Kwargs!.Count);
            foreach (var (key, value) in fast.Kwargs) Assert.Equal(((Dictionary<object, object?>)general["kwargs"]!)[key], value, PyValueComparer.Instance);
        }, iter: 1000);
    }

    [Fact]
    public void Call_payload_errors_are_serialize_exceptions()
    {
        Assert.Throws<SerializeException>(() => Json.DeserializeCall("[1, 2]"u8));
        Assert.Throws<SerializeException>(() => Json.DeserializeCall("{\"object\": 1, \"method\": \"m\", \"params\": [], \"kwargs\": {}}"u8));
        Assert.Throws<SerializeException>(() => Json.DeserializeCall("{\"object\": \"o\", \"method\": \"m\", \"params\": 5, \"kwargs\": {}}"u8));
        Assert.Throws<SerializeException>(() => Json.DeserializeCall("{\"object\": \"o\", \"method\": \"m\", \"params\": [], \"kwargs\": [1]}"u8));
        var call = Json.DeserializeCall("{\"object\": \"o\", \"method\": \"m\", \"params\": [1], \"kwargs\": null}"u8);
        Assert.Null(call.Kwargs);
        Assert.Equal([1L], call.Args);
    }
}
