using System.Buffers;
using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Collections.ObjectModel;
using System.Numerics;
using System.Text;
using TypedPyro.Serialization;

namespace TypedPyro.Tests.Serialization.Serpent;

/// <summary>
/// Serializing .NET inputs. Expected texts were computed with Python 3.11 + serpent 1.41 for the equivalent Python
/// value (e.g. <c>str(Decimal('1E-7'))</c>, <c>timedelta(...).total_seconds()</c>) and pasted here.
/// </summary>
public class SerpentWriterTests
{
    private static readonly SerpentSerializer Serpent = SerpentSerializer.Instance;

    private static string Write(object? value)
    {
        string text = Encoding.UTF8.GetString(Serpent.Serialize(value));
        Assert.StartsWith("# serpent utf-8 python3.2\n", text);
        return text["# serpent utf-8 python3.2\n".Length..];
    }

    public static TheoryData<object?, string> Scalars => new()
    {
        { null, "None" },
        { true, "True" },
        { false, "False" },
        { sbyte.MinValue, "-128" },
        { byte.MaxValue, "255" },
        { short.MinValue, "-32768" },
        { ushort.MaxValue, "65535" },
        { int.MinValue, "-2147483648" },
        { uint.MaxValue, "4294967295" },
        { long.MinValue, "-9223372036854775808" },
        { ulong.MaxValue, "18446744073709551615" },
        { Int128.MinValue, "-170141183460469231731687303715884105728" },
        { UInt128.MaxValue, "340282366920938463463374607431768211455" },
        { BigInteger.Pow(2, 100), "1267650600228229401496703205376" },
        { -BigInteger.Pow(2, 100), "-1267650600228229401496703205376" },
        { new BigInteger(5), "5" },
        { 0.1f, "0.10000000149011612" },
        { (Half)0.1, "0.0999755859375" },
        { 1.0, "1.0" },
        { -0.0, "-0.0" },
        { 1e16, "1e+16" },
        { double.PositiveInfinity, "1e30000" },
        { double.NegativeInfinity, "-1e30000" },
        { double.NaN, "{'__class__':'float','value':'nan'}" },
        { float.NaN, "{'__class__':'float','value':'nan'}" },
        { 'x', "'x'" },
        { '\'', "\"'\"" },
        { '\n', "'\\n'" },
        { "", "''" },
        { DayOfWeek.Friday, "5" },
        { TestULongEnum.Max, "18446744073709551615" },
        { TestSByteEnum.Negative, "-3" },
        { TestFlags.A | TestFlags.C, "5" },
    };

    [Theory]
    [MemberData(nameof(Scalars))]
    public void Scalar_values(object? value, string expected) => Assert.Equal(expected, Write(value));

    [Theory]
    // .NET decimal literal -> Python str(Decimal(<same digits>))
    [InlineData("0.0000001", "'1E-7'")]
    [InlineData("0.00000010", "'1.0E-7'")]
    [InlineData("1.10", "'1.10'")]
    [InlineData("0.000001", "'0.000001'")]
    [InlineData("0", "'0'")]
    [InlineData("0.000000000", "'0E-9'")]
    [InlineData("123456789012345678901234567.8", "'123456789012345678901234567.8'")]
    [InlineData("-0.5", "'-0.5'")]
    [InlineData("79228162514264337593543950335", "'79228162514264337593543950335'")]
    [InlineData("0.0000000000000000000000000001", "'1E-28'")]
    [InlineData("-0.0000012345", "'-0.0000012345'")]
    [InlineData("100", "'100'")]
    [InlineData("0.00000", "'0.00000'")]
    [InlineData("1.0000000000000000000000000000", "'1.0000000000000000000000000000'")]
    public void Decimals_print_like_python_decimal(string literal, string expected)
    {
        decimal value = decimal.Parse(literal, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(expected, Write(value));
        Assert.Equal($"Decimal({expected})", PythonRepr.Format(value));
    }

    [Fact]
    public void Dates_and_times_are_python_isoformat()
    {
        Assert.Equal("'0001-01-01T00:00:00'", Write(DateTime.MinValue));
        Assert.Equal("'2024-01-02T03:04:05.000006-05:30'",
            Write(new DateTimeOffset(2024, 1, 2, 3, 4, 5, new TimeSpan(-5, -30, 0)).AddTicks(60)));
        Assert.Equal("'2024-01-02T03:04:05+00:00'", Write(new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.Zero)));
        // sub-microsecond ticks do not exist in Python and are dropped
        Assert.Equal("'2024-01-02T03:04:05'", Write(new DateTime(2024, 1, 2, 3, 4, 5).AddTicks(9)));
        Assert.Equal("'2024-01-02T03:04:05.000001'", Write(new DateTime(2024, 1, 2, 3, 4, 5).AddTicks(19)));
        var local = new DateTime(2024, 7, 1, 12, 0, 0, DateTimeKind.Local);
        TimeSpan offset = TimeZoneInfo.Local.GetUtcOffset(local);
        string sign = offset < TimeSpan.Zero ? "-" : "+";
        Assert.Equal($"'2024-07-01T12:00:00{sign}{Math.Abs(offset.Hours):00}:{Math.Abs(offset.Minutes):00}'", Write(local));
        Assert.Equal("'9999-12-31'", Write(DateOnly.MaxValue));
        Assert.Equal("'00:00:00'", Write(TimeOnly.MinValue));
        Assert.Equal("'23:59:59.999999'", Write(TimeOnly.MaxValue));
    }

    [Theory]
    [InlineData(0L, "0.0")]
    [InlineData(1L, "1e-07")]
    [InlineData(10L, "1e-06")]
    [InlineData(-863_999_999_990L, "-86399.999999")]                  // timedelta(days=-1, microseconds=1)
    [InlineData(-2_591_950_000_000L, "-259195.0")]                    // timedelta(days=-3, seconds=5)
    [InlineData(8_640_000_000_000_000_010L, "864000000000.0")]        // timedelta(days=10**7, microseconds=1)
    [InlineData(long.MaxValue, "922337203685.4775")]
    [InlineData(long.MinValue, "-922337203685.4775")]
    public void TimeSpans_are_total_seconds(long ticks, string expected) => Assert.Equal(expected, Write(TimeSpan.FromTicks(ticks)));

    [Fact]
    public void Guids_are_lower_case()
    {
        Assert.Equal("'0badf00d-0000-4000-8000-00000000abcd'", Write(Guid.Parse("0BADF00D-0000-4000-8000-00000000ABCD")));
    }

    [Fact]
    public void Complex_numbers()
    {
        Assert.Equal("(1.0+2.0j)", Write(new Complex(1, 2)));
        Assert.Equal("(0.0+1.0j)", Write(Complex.ImaginaryOne));
        Assert.Equal("(-0.0-1.5j)", Write(new Complex(-0.0, -1.5)));
        Assert.Equal("(1e30000-1e30000j)", Write(new Complex(double.PositiveInfinity, double.NegativeInfinity)));
        // Python writes the unreadable "(1.0+-0.0j)" here; TypedPyro writes a form both sides can read.
        Assert.Equal("(1.0-0.0j)", Write(new Complex(1, -0.0)));
        Assert.Throws<SerializeException>(() => Serpent.Serialize(new Complex(double.NaN, 1)));
        Assert.Throws<SerializeException>(() => Serpent.Serialize(new Complex(1, double.NaN)));
    }

    [Fact]
    public void Bytes_in_all_forms_are_the_base64_dict()
    {
        byte[] data = [0, 1, 255, 98, 105, 110];
        const string expected = "{'data': 'AAH/Ymlu', 'encoding': 'base64'}";
        Assert.Equal(expected, Write(data));
        Assert.Equal(expected, Write(new ReadOnlyMemory<byte>(data)));
        Assert.Equal(expected, Write(new Memory<byte>(data)));
        Assert.Equal(expected, Write(new ArraySegment<byte>([7, .. data, 7], 1, data.Length)));
        byte[] big = Enumerable.Range(0, 100_000).Select(i => (byte)(i * 7)).ToArray();
        Assert.Equal($"{{'data': '{Convert.ToBase64String(big)}', 'encoding': 'base64'}}", Write(big));
    }

    [Fact]
    public void Sequences_become_lists_and_tuples_tuples()
    {
        Assert.Equal("[1,2,3]", Write(new List<int> { 1, 2, 3 }));
        Assert.Equal("['a','b']", Write(new[] { "a", "b" }));
        Assert.Equal("[1,None]", Write(new object?[] { 1, null }));
        Assert.Equal("['x','y']", Write(new LinkedList<string>(["x", "y"])));
        Assert.Equal("[0,1,4]", Write(Enumerable.Range(0, 3).Select(i => i * i)));
        Assert.Equal("[]", Write(Array.Empty<int>()));
        Assert.Equal("[1.5]", Write(ImmutableArray.Create(1.5)));
        Assert.Equal("()", Write(PyTuple.Empty));
        Assert.Equal("(1,)", Write(new PyTuple(1)));
        Assert.Equal("(1,'a')", Write((1, "a")));
        Assert.Equal("(1,)", Write(Tuple.Create(1)));
        Assert.Equal("(1,2,3,4,5,6,7,8,9)", Write((1, 2, 3, 4, 5, 6, 7, 8, 9)));
    }

    [Fact]
    public void Sets_of_common_element_types()
    {
        Assert.Equal("{1,2}", Write(new HashSet<int> { 1, 2 }));
        Assert.Equal("{'a'}", Write(new HashSet<string> { "a" }));
        Assert.Equal("{1,2,3}", Write(new SortedSet<long> { 3, 1, 2 }));
        Assert.Equal("{'x'}", Write(FrozenSet.Create("x")));
        Assert.Equal("{1}", Write(ImmutableHashSet.Create(1)));
        Assert.Equal("{(1,2)}", Write(new HashSet<PyTuple> { new(1, 2) }));
        Assert.Equal("()", Write(new HashSet<int>()));
        Assert.Equal("()", Write(new HashSet<object?>()));
    }

    [Fact]
    public void Set_elements_must_be_hashable_in_python()
    {
        Assert.Throws<SerializeException>(() => Serpent.Serialize(new HashSet<object?> { new List<object?>() }));
        Assert.Throws<SerializeException>(() => Serpent.Serialize(new HashSet<object?> { Guid.Empty }));
        Assert.Throws<SerializeException>(() => Serpent.Serialize(new HashSet<object?> { null })); // Python refuses None too
    }

    [Fact]
    public void Dictionaries_of_all_kinds()
    {
        Assert.Equal("{'b':1,'a':2}", Write(new Dictionary<string, int> { ["b"] = 1, ["a"] = 2 }));
        Assert.Equal("{1:'x',2:'y'}", Write(new SortedDictionary<int, string> { [2] = "y", [1] = "x" }));
        Assert.Equal("{'k':[1]}", Write(new ReadOnlyDictionary<string, object?>(new Dictionary<string, object?> { ["k"] = new[] { 1 } })));
        Assert.Equal("{'k':None}", Write(new PairListDictionary([new("k", null)]) as IReadOnlyDictionary<object, object?>));
        Assert.Equal("{'k':True}", Write(new StringKeyedDictionary { ["k"] = true }));
        Assert.Equal("{(1,2):'t',2.5:'f',True:'b',b'':1}".Replace("b'':1", "{'data': '', 'encoding': 'base64'}:1"),
            Write(new Dictionary<object, object?>(PyValueComparer.Instance!) { [new PyTuple(1, 2)] = "t", [2.5] = "f", [true] = "b", [Array.Empty<byte>()] = 1L }));
        Assert.Equal("{(1,'a'):0,'c':1,5:2}", Write(new Dictionary<object, int> { [(1, "a")] = 0, ['c'] = 1, [DayOfWeek.Friday] = 2 }));
        Assert.Equal("{}", Write(new Dictionary<string, object?>()));
        // Python serpent's own example output
        Assert.Equal("{(1,2):[1.5,None],'k':{1},'b':{'data': 'AP8=', 'encoding': 'base64'}}",
            Write(new Dictionary<object, object?> { [new PyTuple(1L, 2L)] = new List<object?> { 1.5, null }, ["k"] = new HashSet<object?> { 1L }, ["b"] = new byte[] { 0, 255 } }));
    }

    [Theory]
    [MemberData(nameof(BadKeys))]
    public void Dict_keys_must_be_hashable_in_python(object key)
    {
        var ex = Assert.Throws<SerializeException>(() => Serpent.Serialize(new Dictionary<object, object?> { [key] = 1 }));
        Assert.Contains("dict key", ex.Message);
    }

    public static TheoryData<object> BadKeys => new()
    {
        Guid.Empty, DateTime.MinValue, new List<object?>(), new Dictionary<object, object?>(), new object(), new TestWire(1),
    };

    [Fact]
    public void Wire_values_are_written_in_place()
    {
        Assert.Equal("[{'__class__':'Pyro4.core.URI','state':('PYRO','obj',None,'h',9)}]",
            Write(new object[] { new TestUri() }));
        var ex = Assert.Throws<SerializeException>(() => Serpent.Serialize(new SelfWire()));
        Assert.Contains("circular", ex.Message);
    }

    [Fact]
    public void Unknown_types_are_refused_with_their_name()
    {
        var ex = Assert.Throws<SerializeException>(() => Serpent.Serialize(new List<object?> { new Version(1, 2) }));
        Assert.Contains("System.Version", ex.Message);
        ex = Assert.Throws<SerializeException>(() => Serpent.Serialize(new TestRecord(1)));
        Assert.Contains(nameof(TestRecord), ex.Message);
        Assert.Throws<SerializeException>(() => Serpent.Serialize(new object()));
        Assert.Throws<SerializeException>(() => Serpent.Serialize(new KeyValuePair<string, int>("a", 1)));
    }

    [Fact]
    public void Circular_references_are_detected()
    {
        var list = new List<object?> { 1 };
        list.Add(list);
        var ex = Assert.Throws<SerializeException>(() => Serpent.Serialize(list));
        Assert.Contains("circular", ex.Message);

        var dict = new Dictionary<string, object?>();
        dict["self"] = new List<object?> { dict };
        Assert.Contains("circular", Assert.Throws<SerializeException>(() => Serpent.Serialize(dict)).Message);
    }

    [Fact]
    public void Nesting_limit_applies_to_writing()
    {
        object? value = 1;
        for (int i = 0; i < 1000; i++) value = new List<object?> { value };
        Assert.NotNull(Serpent.Serialize(value));
        value = new List<object?> { value };
        Assert.Contains("nesting", Assert.Throws<SerializeException>(() => Serpent.Serialize(value)).Message);
        Assert.Throws<SerializeException>(() => new SerpentSerializer(2).Serialize(new PyTuple(new PyTuple(new PyTuple()))));
    }

    [Fact]
    public void Integers_beyond_pythons_digit_limit_are_refused()
    {
        Assert.Equal(4300, Write(BigInteger.Pow(10, 4300) - 1).Length);
        Assert.Equal(4301, Write(-(BigInteger.Pow(10, 4300) - 1)).Length);
        Assert.Throws<SerializeException>(() => Serpent.Serialize(BigInteger.Pow(10, 4300)));
        Assert.Throws<SerializeException>(() => Serpent.Serialize(BigInteger.Pow(10, 100_000)));
    }

    [Fact]
    public void Strings_of_every_length_and_kind()
    {
        string ascii = new('a', 10_000);
        Assert.Equal($"'{ascii}'", Write(ascii));
        // Python: serpent.dumps(('é\t\'"\\\u2028😀\ud800x')*2) -> 'é\t\'"\\\u2028😀\ud800xé\t\'"\\\u2028😀\ud800x'
        string mixed = string.Concat(Enumerable.Repeat("é\t'\"\\\u2028😀\ud800x", 3000));
        string expectedMixed = string.Concat(Enumerable.Repeat("é\\t\\'\"\\\\\\u2028😀\\ud800x", 3000));
        Assert.Equal($"'{expectedMixed}'", Write(mixed));
        Assert.Equal("\"'\\\\\"", Write("'\\"));
        Assert.Equal("'\\udc00\\ud800'", Write("\udc00\ud800")); // reversed pair: two lone surrogates
    }

    [Fact]
    public void Output_is_identical_whatever_the_buffer_writer_chunk_size()
    {
        var value = new Dictionary<object, object?>
        {
            ["text"] = string.Concat(Enumerable.Repeat("é€😀\u0000abc", 2000)) + new string('x', 9000),
            ["bytes"] = Enumerable.Range(0, 50_000).Select(i => (byte)i).ToArray(),
            ["list"] = Enumerable.Range(0, 3000).Select(i => (object?)(i * 1.5)).ToList(),
            ["big"] = BigInteger.Pow(7, 3000),
        };
        byte[] expected = Serpent.Serialize(value);
        foreach (int chunk in new[] { 1, 3, 7, 64, 1000 })
        {
            var writer = new TinyChunkWriter(chunk);
            Serpent.Serialize(writer, value);
            Assert.True(expected.AsSpan().SequenceEqual(writer.Written), $"chunk {chunk}");
        }
    }

    [Fact]
    public void Serialize_appends_to_existing_output()
    {
        var buffer = new ArrayBufferWriter<byte>();
        buffer.Write("xyz"u8);
        Serpent.Serialize(buffer, 1);
        Assert.Equal("xyz# serpent utf-8 python3.2\n1", Encoding.UTF8.GetString(buffer.WrittenSpan));
    }

    [Fact]
    public void Calls_with_kwargs_round_trip()
    {
        var buffer = new ArrayBufferWriter<byte>();
        Serpent.SerializeCall(buffer, "obj", "method", [1, "two"], new Dictionary<string, object?> { ["k"] = 3.5 });
        Assert.Equal("# serpent utf-8 python3.2\n('obj','method',(1,'two'),{'k':3.5})", Encoding.UTF8.GetString(buffer.WrittenSpan));
        var call = Serpent.DeserializeCall(buffer.WrittenSpan);
        Assert.Equal("obj", call.ObjectId);
        Assert.Equal(new object?[] { 1L, "two" }, call.Args);
        Assert.Equal(3.5, call.Kwargs!["k"]);
        Assert.Equal(SerializerId.Serpent, Serpent.Id);
        Assert.Equal("serpent", Serpent.Name);
    }

    private enum TestULongEnum : ulong { Max = ulong.MaxValue }

    private enum TestSByteEnum : sbyte { Negative = -3 }

    [Flags]
    private enum TestFlags { A = 1, B = 2, C = 4 }

    private sealed record TestRecord(int X);

    private sealed record TestWire(int X) : IPyroWireValue
    {
        public object? ToWireValue() => X;
    }

    private sealed class TestUri : IPyroWireValue
    {
        public object? ToWireValue() => new Dictionary<string, object?>
        {
            ["__class__"] = "Pyro4.core.URI",
            ["state"] = new PyTuple("PYRO", "obj", null, "h", 9),
        };
    }

    private sealed class SelfWire : IPyroWireValue
    {
        public object? ToWireValue() => this;
    }

    private sealed class StringKeyedDictionary : Dictionary<string, object?>, IReadOnlyDictionary<string, object?>;

    /// <summary>An IBufferWriter that hands out spans of exactly the requested size (or a fixed small chunk).</summary>
    private sealed class TinyChunkWriter(int chunk) : IBufferWriter<byte>
    {
        private readonly List<byte> _written = [];
        private byte[] _current = [];

        public byte[] Written => [.. _written];

        public void Advance(int count)
        {
            Assert.InRange(count, 0, _current.Length);
            _written.AddRange(_current.AsSpan(0, count));
            _current = [];
        }

        public Memory<byte> GetMemory(int sizeHint = 0) => _current = new byte[Math.Max(sizeHint, chunk)];

        public Span<byte> GetSpan(int sizeHint = 0) => GetMemory(sizeHint).Span;
    }
}
