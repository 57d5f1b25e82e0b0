using System.Numerics;
using TypedPyro.Serialization;

namespace TypedPyro.Tests.Contracts;

public class PyroConvertTests
{
    [Fact]
    public void Integers_convert_with_range_checks()
    {
        Assert.Equal(42, PyroConvert.ToInt32(42L));
        Assert.Equal(long.MaxValue, PyroConvert.ToInt64(long.MaxValue));
        Assert.Equal(ulong.MaxValue, PyroConvert.ToUInt64(new BigInteger(ulong.MaxValue)));
        Assert.Throws<OverflowException>(() => PyroConvert.ToInt32(1L << 40));
        Assert.Throws<OverflowException>(() => PyroConvert.ToByte(-1L));
        var e = Assert.Throws<ArgumentTypeException>(() => PyroConvert.ToInt32("5"));
        Assert.Equal("expected int, got str", e.Message);
        Assert.Throws<ArgumentTypeException>(() => PyroConvert.ToInt64(true)); // Python's bool is an int, but a contract asking for int means a number
    }

    [Fact]
    public void Floats_accept_ints_as_python_does()
    {
        Assert.Equal(3.0, PyroConvert.ToDouble(3L));
        Assert.Equal(2.5, PyroConvert.ToDouble(2.5));
        Assert.Throws<ArgumentTypeException>(() => PyroConvert.ToDouble(null));
    }

    [Theory]
    [InlineData(300_000)]
    [InlineData(300_001)]
    [InlineData(300_002)]
    public void Bulk_bytes_decode_from_base64_exactly(int size)
    {
        // Large values take the chunked decoder; every padding case must give the same bytes as the runtime's decoder.
        var data = new byte[size];
        new Random(size).NextBytes(data);
        string text = Convert.ToBase64String(data);
        var dict = new Dictionary<object, object?> { ["data"] = text, ["encoding"] = "base64" };
        Assert.Equal(data, PyroConvert.ToBytes(dict));
        // With line breaks (base64.encodebytes) the fast path steps aside and the tolerant decoder takes it.
        dict["data"] = Convert.ToBase64String(data, Base64FormattingOptions.InsertLineBreaks);
        Assert.Equal(data, PyroConvert.ToBytes(dict));
        dict["data"] = "!" + text[1..];
        Assert.Throws<ArgumentException>(() => PyroConvert.ToBytes(dict));
    }

    [Fact]
    public void Bytes_come_from_the_serpent_base64_dict()
    {
        var dict = new Dictionary<object, object?> { ["data"] = Convert.ToBase64String([1, 2, 3]), ["encoding"] = "base64" };
        Assert.Equal([1, 2, 3], PyroConvert.ToBytes(dict));
        Assert.Equal([4, 5], PyroConvert.ToBytes(new List<object?> { 4L, 5L }));
        Assert.Throws<ArgumentTypeException>(() => PyroConvert.ToBytes("abc"));
    }

    [Fact]
    public void Strings_dates_guids_decimals_and_enums()
    {
        Assert.Equal(new DateTime(2024, 1, 2, 3, 4, 5, 678, DateTimeKind.Unspecified).AddTicks(9010), PyroConvert.ToDateTime("2024-01-02T03:04:05.678901"));
        Assert.Equal(DateTimeKind.Utc, PyroConvert.ToDateTime("2024-01-02T03:04:05Z").Kind);
        Assert.Equal(TimeSpan.FromHours(2), PyroConvert.ToDateTimeOffset("2024-01-02T03:04:05+02:00").Offset);
        Assert.Equal(Guid.Parse("7f3e9a52-1c4b-4d8e-9f60-a1b2c3d4e5f6"), PyroConvert.ToGuid("7f3e9a52-1c4b-4d8e-9f60-a1b2c3d4e5f6"));
        Assert.Equal(3.14159265358979323846264338m, PyroConvert.ToDecimal("3.14159265358979323846264338"));
        Assert.Equal(DayOfWeek.Friday, PyroConvert.ToEnum<DayOfWeek>(5L));
        Assert.Equal(TimeSpan.FromSeconds(86402.5), PyroConvert.ToTimeSpan(86402.5));
        Assert.Equal('x', PyroConvert.ToChar("x"));
        Assert.Throws<ArgumentTypeException>(() => PyroConvert.ToChar("xy"));
        Assert.Null(PyroConvert.ToNullableString(null));
        Assert.Throws<ArgumentTypeException>(() => PyroConvert.ToString(null));
    }

    [Fact]
    public void Collections_convert_element_by_element()
    {
        var list = PyroConvert.ToList(new PyTuple(1L, 2L, 3L), static v => PyroConvert.ToInt32(v));
        Assert.Equal([1, 2, 3], list);
        var set = PyroConvert.ToHashSet(new HashSet<object?> { "a", "b" }, static v => PyroConvert.ToString(v));
        Assert.True(set.SetEquals(["a", "b"]));
        var dict = PyroConvert.ToDictionary(new Dictionary<object, object?> { ["a"] = new List<object?> { 1.5 } },
            static k => PyroConvert.ToString(k), static v => PyroConvert.ToArray(v, static d => PyroConvert.ToDouble(d)));
        Assert.Equal([1.5], dict["a"]);
        Assert.Throws<ArgumentTypeException>(() => PyroConvert.ToList("abc", static v => v));
        Assert.Null(PyroConvert.ToNullable(null, static v => PyroConvert.ToInt32(v)));
        Assert.Equal(7, PyroConvert.ToNullable(7L, static v => PyroConvert.ToInt32(v)));
    }

    [Fact]
    public void Uris_from_string_or_class_dict()
    {
        var uri = PyroConvert.ToUri("PYRO:obj@localhost:9999");
        Assert.Equal(uri, PyroConvert.ToUri(uri.ToWireValue()));
        Assert.Throws<ArgumentTypeException>(() => PyroConvert.ToUri(42L));
    }

    [Fact]
    public void Typed_argument_binding_names_the_argument_in_type_errors()
    {
        var call = new PyroInvocation("store", new PyTuple("ann", 5L), null, null!);
        Assert.Equal("ann", call.Arg(0, "name", static v => PyroConvert.ToString(v)));
        var e = Assert.Throws<ArgumentTypeException>(() => call.Arg(1, "item", static v => PyroConvert.ToString(v)));
        Assert.Equal("store() argument 'item': expected str, got int", e.Message);
        Assert.Equal(10, call.Arg(2, "count", static v => PyroConvert.ToInt32(v), 10));
        var missing = Assert.Throws<ArgumentTypeException>(() => call.Arg(2, "count", static v => PyroConvert.ToInt32(v)));
        Assert.Equal("store() missing 1 required positional argument: 'count'", missing.Message);
        var both = new PyroInvocation("store", new PyTuple("ann"), new Dictionary<string, object?> { ["name"] = "bob" }, null!);
        Assert.Throws<ArgumentTypeException>(() => both.Arg(0, "name", static v => PyroConvert.ToString(v)));
    }
}
