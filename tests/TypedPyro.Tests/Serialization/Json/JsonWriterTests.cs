using System.Buffers;
using System.Collections.Immutable;
using System.Dynamic;
using System.Globalization;
using BigInteger = System.Numerics.BigInteger;
using Complex = System.Numerics.Complex;
using System.Text;
using TypedPyro.Serialization;
using TypedPyro.Tests.Support;

namespace TypedPyro.Tests.Serialization.Json;

/// <summary>
/// How .NET values are written. Expected texts are what Python 3.11's <c>json.dumps(..., ensure_ascii=False)</c>
/// prints for the corresponding Python value (checked with /usr/bin/python3 when the tests were written; the interop
/// tests re-check the formats against Python on generated values).
/// </summary>
public class JsonWriterTests
{
    private static readonly PyroJsonSerializer Json = PyroJsonSerializer.Instance;

    private static string Text(object? value) => Encoding.UTF8.GetString(Json.Serialize(value));

    private enum Small : byte { A = 7 }

    private enum Huge : ulong { Max = ulong.MaxValue }

    private enum Negative : long { Min = long.MinValue }

    public static TheoryData<int> FloatTableRows()
    {
        var data = new TheoryData<int>();
        int n = Vector.Load("ser_serpent_float_format_table").Decoded.GetProperty("table").GetArrayLength();
        for (int i = 0; i < n; i++) data.Add(i);
        return data;
    }

    [Theory]
    [MemberData(nameof(FloatTableRows))]
    public void Floats_use_python_repr(int row)
    {
        // json writes floats with float.__repr__, exactly like serpent: reuse serpent's per-value table.
        var entry = Vector.Load("ser_serpent_float_format_table").Decoded.GetProperty("table")[row];
        double value = BitConverter.Int64BitsToDouble(long.Parse(entry.GetProperty("ieee754_hex").GetString()!, NumberStyles.HexNumber));
        string repr = entry.GetProperty("repr").GetString()!;
        Assert.Equal(repr, Text(value));
        var back = Assert.IsType<double>(Json.Deserialize(Encoding.UTF8.GetBytes(repr)));
        Assert.Equal(BitConverter.DoubleToInt64Bits(value), BitConverter.DoubleToInt64Bits(back));
    }

    [Fact]
    public void Non_finite_floats_are_bare_tokens()
    {
        Assert.Equal("[NaN, Infinity, -Infinity]", Text(new[] { double.NaN, double.PositiveInfinity, double.NegativeInfinity }));
        Assert.Equal("[NaN, Infinity]", Text(new object[] { float.NaN, Half.PositiveInfinity }));
    }

    [Fact]
    public void Single_and_half_are_sent_as_their_shortest_text()
    {
        Assert.Equal("1.1", Text(1.1f));
        Assert.Equal("0.1", Text((Half)0.1));
        Assert.Equal("16777216.0", Text(16777216f));
        Assert.Equal("1e+38", Text(1e38f));
    }

    [Fact]
    public void Every_integer_type_is_written_in_decimal()
    {
        Assert.Equal("[255, -128, -32768, 65535, -2147483648, 4294967295, -9223372036854775808, 18446744073709551615]",
            Text(new object[] { byte.MaxValue, sbyte.MinValue, short.MinValue, ushort.MaxValue, int.MinValue, uint.MaxValue, long.MinValue, ulong.MaxValue }));
        Assert.Equal("[-170141183460469231731687303715884105728, 340282366920938463463374607431768211455]",
            Text(new object[] { Int128.MinValue, UInt128.MaxValue }));
        Assert.Equal("[-1, 1]", Text(new object[] { (nint)(-1), (nuint)1 }));
        var big = BigInteger.Pow(2, 200) + 1;
        Assert.Equal(big.ToString(CultureInfo.InvariantCulture), Text(big));
        Assert.Equal("-" + big.ToString(CultureInfo.InvariantCulture), Text(-big));
    }

    [Fact]
    public void Ints_beyond_python_text_limit_are_refused_both_ways()
    {
        var ok = BigInteger.Pow(10, 4299); // 4300 digits: Python accepts
        Assert.Equal(4300, Text(ok).Length);
        Assert.Equal(4301, Text(-ok).Length);
        JsonAssert.Equal(ok, Json.Deserialize(Encoding.ASCII.GetBytes(Text(ok))));
        var tooBig = BigInteger.Pow(10, 4300); // 4301 digits: Python's int/str conversion raises ValueError
        Assert.Throws<SerializeException>(() => Json.Serialize(tooBig));
        Assert.Throws<SerializeException>(() => Json.Serialize(BigInteger.Pow(2, 100_000)));
        Assert.Throws<SerializeException>(() => Json.Deserialize(Encoding.ASCII.GetBytes("1" + new string('0', 4300))));
        Assert.Throws<SerializeException>(() => Json.Deserialize(Encoding.ASCII.GetBytes("-1" + new string('0', 4300))));
    }

    [Theory]
    [InlineData("1.50", "1.50")]
    [InlineData("0.0000001", "1E-7")]
    [InlineData("0.000001", "0.000001")]
    [InlineData("0.00", "0.00")]
    [InlineData("100", "100")]
    [InlineData("123456789012345678901234567.8", "123456789012345678901234567.8")]
    [InlineData("79228162514264337593543950335", "79228162514264337593543950335")]
    [InlineData("-7.9228162514264337593543950335", "-7.9228162514264337593543950335")]
    [InlineData("0.0000000000000000000000000001", "1E-28")]
    public void Decimals_are_strings_spelled_like_python_decimal_str(string input, string python)
    {
        decimal value = decimal.Parse(input, NumberStyles.Float, CultureInfo.InvariantCulture);
        Assert.Equal("\"" + python + "\"", Text(value));
    }

    [Fact]
    public void Negative_zero_decimal_keeps_its_sign()
    {
        decimal negativeZero = decimal.Negate(0.0m);
        Assert.Equal("\"-0.0\"", Text(negativeZero));
        Assert.Equal("\"0E-7\"", Text(new decimal(0, 0, 0, false, 7)));
    }

    [Fact]
    public void Dates_are_isoformat_strings()
    {
        var naive = new DateTime(2024, 1, 2, 3, 4, 5, DateTimeKind.Unspecified);
        Assert.Equal("\"2024-01-02T03:04:05\"", Text(naive));
        Assert.Equal("\"2024-01-02T03:04:05.000600\"", Text(naive.AddTicks(6000)));
        Assert.Equal("\"2024-01-02T03:04:05\"", Text(naive.AddTicks(9))); // below a microsecond: dropped
        Assert.Equal("\"2024-01-02T03:04:05.000001+00:00\"", Text(DateTime.SpecifyKind(naive.AddTicks(19), DateTimeKind.Utc)));
        Assert.Equal("\"0001-01-01T00:00:00\"", Text(DateTime.MinValue));
        Assert.Equal("\"9999-12-31T23:59:59.999999\"", Text(DateTime.MaxValue));
        Assert.Equal("\"2024-01-02T03:04:05-09:30\"", Text(new DateTimeOffset(naive, new TimeSpan(-9, -30, 0))));
        Assert.Equal("\"2024-01-02T03:04:05+14:00\"", Text(new DateTimeOffset(naive, TimeSpan.FromHours(14))));
        Assert.Equal("\"0987-06-05\"", Text(new DateOnly(987, 6, 5)));
        var local = new DateTime(2024, 7, 1, 12, 0, 0, DateTimeKind.Local);
        var offset = TimeZoneInfo.Local.GetUtcOffset(local);
        Assert.Equal("\"" + new DateTimeOffset(local).ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture) +
            (offset < TimeSpan.Zero ? "-" : "+") + offset.Duration().ToString("hh\\:mm", CultureInfo.InvariantCulture) + "\"", Text(local));
    }

    [Fact]
    public void Guids_are_lower_case_strings()
    {
        Assert.Equal("\"0badf00d-0000-4000-8000-00000000abcd\"", Text(Guid.Parse("0BADF00D-0000-4000-8000-00000000ABCD")));
    }

    [Fact]
    public void Enums_are_their_underlying_integer()
    {
        Assert.Equal("[7, 18446744073709551615, -9223372036854775808, 2]", Text(new object[] { Small.A, Huge.Max, Negative.Min, DayOfWeek.Tuesday }));
    }

    [Fact]
    public void Chars_are_one_character_strings_and_char_arrays_are_strings()
    {
        Assert.Equal("[\"x\", \"\\\"\", \"\\u0001\", \"ab\"]", Text(new object[] { 'x', '"', '\u0001', new[] { 'a', 'b' } }));
    }

    [Fact]
    public void Control_characters_are_escaped_like_python()
    {
        var all = new string(Enumerable.Range(0, 0x20).Select(i => (char)i).ToArray());
        Assert.Equal(
            "\"\\u0000\\u0001\\u0002\\u0003\\u0004\\u0005\\u0006\\u0007\\b\\t\\n\\u000b\\f\\r\\u000e\\u000f\\u0010\\u0011\\u0012\\u0013\\u0014\\u0015\\u0016\\u0017\\u0018\\u0019\\u001a\\u001b\\u001c\\u001d\\u001e\\u001f\"",
            Text(all));
    }

    [Fact]
    public void Everything_else_is_raw_utf8()
    {
        string s = "/<>&'\u007f\u0080\u00a0\u00ad\u2028\u2029\ufeff\uffff\U0001F600\U000E0001";
        Assert.Equal(Encoding.UTF8.GetBytes("\"" + s + "\""), Json.Serialize(s));
    }

    [Fact]
    public void Lone_surrogates_are_escaped_and_read_back()
    {
        // (Inline theory data would not survive xunit's UTF-8 serialization of lone surrogates.)
        var cases = new (string Value, string Text)[]
        {
            ("\ud800", "\"\\ud800\""),
            ("a\udfffb", "\"a\\udfffb\""),
            ("\udc00\ud800", "\"\\udc00\\ud800\""),
            ("x\ud83d", "\"x\\ud83d\""),
            ("\ud83d\ude00\ud83d", "\"\U0001F600\\ud83d\""),
        };
        foreach (var (value, text) in cases)
        {
            Assert.Equal(text, Text(value));
            Assert.Equal(value, Json.Deserialize(Encoding.UTF8.GetBytes(text)));
        }
    }

    [Fact]
    public void Long_strings_cross_buffer_chunks()
    {
        var sb = new StringBuilder();
        for (int i = 0; i < 70_000; i++) sb.Append(i % 7 == 0 ? "é€\U0001F600\"\n" : "abc");
        string s = sb.ToString();
        var bytes = Json.Serialize(s);
        Assert.Equal(s, Json.Deserialize(bytes));
        // The same bytes through a writer that hands out tiny spans.
        var tiny = new TinyBufferWriter();
        Json.Serialize(tiny, new object?[] { s, s.Length, new Dictionary<string, object?> { ["k"] = s } });
        Assert.Equal(Json.Serialize(new object?[] { s, s.Length, new Dictionary<string, object?> { ["k"] = s } }), tiny.ToArray());
    }

    [Fact]
    public void Dict_keys_are_converted_like_python()
    {
        var map = new Dictionary<object, object?>
        {
            [1] = "int", [2.5] = "float", [true] = "bool", [double.NaN] = "nan", [double.PositiveInfinity] = "inf",
            [-0.0] = "negzero", [BigInteger.Pow(10, 20)] = "big", ['c'] = "char", [Small.A] = "enum", ["s"] = "str",
        };
        Assert.Equal(
            "{\"1\": \"int\", \"2.5\": \"float\", \"true\": \"bool\", \"NaN\": \"nan\", \"Infinity\": \"inf\", \"-0.0\": \"negzero\", " +
            "\"100000000000000000000\": \"big\", \"c\": \"char\", \"7\": \"enum\", \"s\": \"str\"}",
            Text(map));
        Assert.Equal("{\"null\": 1}", Text(new[] { new KeyValuePair<object, object?>(null!, 1) }));
    }

    [Fact]
    public void Unsupported_dict_keys_are_refused()
    {
        var tupleKey = new Dictionary<object, object?> { [new PyTuple(1L, 2L)] = "x" };
        var e = Assert.Throws<SerializeException>(() => Json.Serialize(tupleKey));
        Assert.Contains("tuple", e.Message);
        Assert.Throws<SerializeException>(() => Json.Serialize(new Dictionary<object, object?> { [Guid.Empty] = 1 }));
        Assert.Throws<SerializeException>(() => Json.Serialize(new Dictionary<object, object?> { [1.5m] = 1 }));
    }

    [Fact]
    public void Collections_become_arrays_and_dictionaries_objects()
    {
        Assert.Equal("[1, 2, 3]", Text(new List<int> { 1, 2, 3 }));
        Assert.Equal("[1, 2]", Text(Enumerable.Range(1, 2)));
        Assert.Equal("[\"a\"]", Text(new HashSet<string> { "a" }));
        Assert.Equal("[[], [1], [\"x\", null]]", Text(new PyTuple(PyTuple.Empty, new PyTuple(1L), new object?[] { "x", null })));
        Assert.Equal("[1, 2]", Text(ImmutableArray.Create(1, 2)));
        Assert.Equal("{\"b\": 1, \"a\": 2}", Text(new SortedList<string, int> { ["b"] = 1, ["a"] = 2 }.Reverse().ToDictionary()));
        Assert.Equal("{\"a\": [1, {\"b\": null}]}", Text(new Dictionary<string, object?> { ["a"] = new object?[] { 1, new Dictionary<string, string?> { ["b"] = null } } }));
        dynamic expando = new ExpandoObject();
        expando.x = 1;
        expando.y = "z";
        Assert.Equal("{\"x\": 1, \"y\": \"z\"}", Text((object)expando));
        IReadOnlyDictionary<string, object?> readOnly = new ReadOnlyOnlyDictionary(new() { ["k"] = 1.0 });
        Assert.Equal("{\"k\": 1.0}", Text(readOnly));
    }

    [Fact]
    public void Wire_values_are_replaced_by_their_wire_form()
    {
        var uri = new Wire(new Dictionary<object, object?>
        {
            ["__class__"] = "Pyro4.core.URI",
            ["state"] = new PyTuple("PYRO", "obj", null, "localhost", 9090L),
        });
        Assert.Equal("[{\"__class__\": \"Pyro4.core.URI\", \"state\": [\"PYRO\", \"obj\", null, \"localhost\", 9090]}, \"plain\"]",
            Text(new object[] { uri, new Wire("plain") }));
    }

    [Fact]
    public void Unknown_types_are_refused_naming_the_type()
    {
        var e = Assert.Throws<SerializeException>(() => Json.Serialize(new object[] { new Version(1, 2) }));
        Assert.Contains("System.Version", e.Message);
        e = Assert.Throws<SerializeException>(() => Json.Serialize(new object()));
        Assert.Contains("System.Object", e.Message);
        Assert.Throws<SerializeException>(() => Json.Serialize(new Complex(1, 2)));
        Assert.Throws<SerializeException>(() => Json.Serialize(TimeSpan.FromSeconds(1)));
        Assert.Throws<SerializeException>(() => Json.Serialize(new TimeOnly(1, 2)));
        Assert.Throws<SerializeException>(() => Json.Serialize(new ReadOnlyMemory<byte>([1])));
        Assert.Throws<SerializeException>(() => Json.Serialize(new ArraySegment<byte>([1])));
    }

    [Fact]
    public void Circular_structures_are_refused_without_crashing()
    {
        var list = new List<object?>();
        list.Add(list);
        var e = Assert.Throws<SerializeException>(() => Json.Serialize(list));
        Assert.Contains("circular", e.Message);
        var map = new Dictionary<object, object?>();
        map["self"] = map;
        Assert.Throws<SerializeException>(() => Json.Serialize(map));
        var wire = new SelfWire();
        Assert.Throws<SerializeException>(() => Json.Serialize(wire));
    }

    [Fact]
    public void Depth_limit_applies()
    {
        Assert.Equal(PyroJsonSerializer.DefaultMaxDepth, Json.MaxDepth);
        var shallow = new PyroJsonSerializer(3);
        Assert.Equal("[[[1]]]", Encoding.UTF8.GetString(shallow.Serialize(Nest(3))));
        Assert.Throws<SerializeException>(() => shallow.Serialize(Nest(4)));
        Assert.Throws<SerializeException>(() => shallow.Deserialize("[[[[1]]]]"u8));
        JsonAssert.Equal(Nest(999), Json.Deserialize(Json.Serialize(Nest(999))));
        Assert.Throws<ArgumentOutOfRangeException>(() => new PyroJsonSerializer(0));
    }

    [Fact]
    public void Null_and_booleans()
    {
        Assert.Equal("[null, true, false]", Text(new object?[] { null, true, false }));
        Assert.Equal("null", Text(null));
    }

    [Fact]
    public void Appends_to_existing_buffer_content()
    {
        var buffer = new ArrayBufferWriter<byte>();
        buffer.Write("x"u8);
        Json.Serialize(buffer, "y");
        Assert.Equal("x\"y\"", Encoding.UTF8.GetString(buffer.WrittenSpan));
    }

    internal static List<object?> Nest(int depth)
    {
        var list = new List<object?> { 1L };
        for (int i = 1; i < depth; i++) list = [list];
        return list;
    }

    private sealed class Wire(object? state) : IPyroWireValue
    {
        public object? State { get; } = state;

        public object? ToWireValue() => State;
    }

    private sealed class SelfWire : IPyroWireValue
    {
        public object? ToWireValue() => this;
    }

    private sealed class ReadOnlyOnlyDictionary(Dictionary<string, object?> inner) : IReadOnlyDictionary<string, object?>
    {
        public object? this[string key] => inner[key];
        public IEnumerable<string> Keys => inner.Keys;
        public IEnumerable<object?> Values => inner.Values;
        public int Count => inner.Count;
        public bool ContainsKey(string key) => inner.ContainsKey(key);
        public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => inner.GetEnumerator();
        public bool TryGetValue(string key, out object? value) => inner.TryGetValue(key, out value);
        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}

/// <summary>An IBufferWriter that hands out spans just as large as asked (at least 1 byte), to exercise chunking.</summary>
internal sealed class TinyBufferWriter : IBufferWriter<byte>
{
    private readonly List<byte> _written = [];
    private byte[] _current = [];

    public void Advance(int count) => _written.AddRange(_current.AsSpan(0, count).ToArray());

    public Memory<byte> GetMemory(int sizeHint = 0) => _current = new byte[Math.Max(sizeHint, 1)];

    public Span<byte> GetSpan(int sizeHint = 0) => GetMemory(sizeHint).Span;

    public byte[] ToArray() => [.. _written];
}
