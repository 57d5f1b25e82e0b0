using System.Collections.Frozen;
using System.Collections.Specialized;
using Complex = System.Numerics.Complex;
using System.Text.Json;
using TypedPyro.Serialization;
using TypedPyro.Tests.Support;

namespace TypedPyro.Tests.Serialization.Json;

/// <summary>
/// The <c>ser_json_*</c> golden vectors (bytes written by Pyro4's own JsonSerializer.dumps).
/// </summary>
public class JsonVectorTests
{
    private static readonly PyroJsonSerializer Json = PyroJsonSerializer.Instance;

    /// <summary>A test-side registered class (what the proxy/URI layer will provide): writes a class dict.</summary>
    private sealed class WireValue(string className, PyTuple state) : IPyroWireValue
    {
        public object? ToWireValue() => new Dictionary<object, object?> { ["__class__"] = className, ["state"] = state };
    }

    /// <summary>
    /// Vectors whose Python value has no faithful .NET counterpart, so only their parsing is tested.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> ParseOnly = new Dictionary<string, string>
    {
        ["ser_json_custom_object"] = "a plain Python object sent as vars(); .NET objects are not serialized by reflection (a typed layer sends a dict, covered by ser_json_dict_str_keys)",
        ["ser_json_decimal"] = "36 significant digits do not fit System.Decimal (28-29 digits)",
        ["ser_json_decimal_exp"] = "Decimal('-1E+10') has a positive exponent, which System.Decimal cannot hold (it would print -10000000000)",
    };

    /// <summary>
    /// json_error vectors where TypedPyro deliberately writes the nearest .NET type instead of failing
    /// (see the PyroJsonSerializer remarks); the test checks that documented output.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, (object Value, string Text)> DeliberateDivergence = new Dictionary<string, (object, string)>
    {
        // Python's json refuses frozenset and deque only because its default() hook checks for `set`; nothing on the
        // wire prevents an array, and refusing .NET's frozen/immutable collections would only surprise callers.
        ["ser_json_frozenset"] = (new[] { "x" }.ToFrozenSet(), "[\"x\"]"),
        ["ser_json_deque"] = (new Queue<object?>([1L, 2L]), "[1, 2]"),
        // Python's json refuses enums; TypedPyro sends the underlying integer, as serpent does for enum members.
        ["ser_json_enum"] = (DayOfWeek.Tuesday, "2"),
    };

    /// <summary>The .NET value standing for a Python value the typed notation only describes (<c>$repr</c>, exceptions).</summary>
    private static object? Analogue(string name, Vector v) => name switch
    {
        // A .NET Dictionary cannot hold a null key; a sequence of pairs can.
        "ser_json_dict_none_key" => new List<KeyValuePair<object, object?>> { new(null!, "none") },
        "ser_json_array_int" => new[] { 1, 2, 3 },
        "ser_json_array_unicode" => "hi".ToCharArray(),
        "ser_json_date" => new DateOnly(2024, 1, 2),
        "ser_json_datetime_naive" => new DateTime(2024, 1, 2, 3, 4, 5, DateTimeKind.Unspecified).AddTicks(678901 * 10),
        "ser_json_datetime_naive_nomicro" => new DateTime(2024, 1, 2, 3, 4, 5),
        "ser_json_datetime_offset" => new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.FromHours(2)),
        "ser_json_datetime_utc" => new DateTime(2024, 1, 2, 3, 4, 5, DateTimeKind.Utc).AddTicks(678901 * 10),
        "ser_json_uuid" => new Guid("12345678-1234-5678-1234-567812345678"),
        "ser_json_ordereddict" => new OrderedDictionary { ["one"] = 1, ["two"] = 2 },
        "ser_json_uri" => new WireValue("Pyro4.core.URI", new PyTuple("PYRO", "obj_123", null, "127.0.0.1", 9999)),
        "ser_json_uri_unix" => new WireValue("Pyro4.core.URI", new PyTuple("PYRO", "obj", "/tmp/pyro.sock", null, null)),
        "ser_json_proxy" => new WireValue("Pyro4.core.Proxy",
            new PyTuple("PYRO:test.echoserver@127.0.0.1:9999", PyTuple.Empty, new HashSet<object?>(), new List<object?>(), 0.0, null, "hello", 0, null)),
        "ser_json_exception_builtin" or "ser_json_exception_custom" => ExceptionDict(v.Decoded.GetProperty("value")),
        "ser_json_bytes" or "ser_json_bytes_empty" => TypedNotation.ToValue(v.Decoded.GetProperty("value")),
        "ser_json_bytearray" => new Memory<byte>((byte[])TypedNotation.ToValue(v.Decoded.GetProperty("value"))!),
        "ser_json_complex" => new Complex(1, 2),
        "ser_json_complex_neg_imag" => new Complex(3, -4.5),
        "ser_json_time" => new TimeOnly(3, 4, 5).Add(TimeSpan.FromTicks(6000)),
        "ser_json_timedelta" => new TimeSpan(1, 0, 0, 2, 500),
        _ => TypedNotation.ToValue(v.Decoded.GetProperty("value")),
    };

    /// <summary>Pyro's exception dict, built from the vector's <c>$exception</c> notation.</summary>
    private static Dictionary<object, object?> ExceptionDict(JsonElement e, bool argsAsList = false)
    {
        var args = (PyTuple)TypedNotation.ToValue(e.GetProperty("args"))!;
        return new Dictionary<object, object?>
        {
            ["__class__"] = e.GetProperty("$exception").GetString(),
            ["__exception__"] = true,
            ["args"] = argsAsList ? args.ToList() : args,
            ["attributes"] = TypedNotation.ToValue(e.GetProperty("attributes")),
        };
    }

    public static TheoryData<string> JsonVectors => Vector.Theory("ser_json_", "json");

    public static TheoryData<string> JsonErrorVectors => Vector.Theory("ser_json_", "json_error");

    [Theory]
    [MemberData(nameof(JsonVectors))]
    public void Serialize_matches_python_bytes(string name)
    {
        var v = Vector.Load(name);
        if (ParseOnly.ContainsKey(name)) return; // listed with the reason; parsing is still tested below
        JsonAssert.EqualBytes(v.Bytes, Json.Serialize(Analogue(name, v)));
    }

    [Theory]
    [MemberData(nameof(JsonVectors))]
    public void Deserialize_matches_python_loads(string name)
    {
        var v = Vector.Load(name);
        var decoded = v.Decoded;
        object? expected;
        if (decoded.TryGetProperty("loads_result", out var loads) && !IsDescribedObject(loads))
        {
            expected = TypedNotation.ToValue(loads);
        }
        else
        {
            // Python rebuilt a class (URI, Proxy, exception) or refused it; TypedPyro returns the plain class dict,
            // which is the text itself (parsed here with System.Text.Json, independently of the reader under test).
            using var doc = JsonDocument.Parse(decoded.GetProperty("text").GetString()!);
            expected = TypedNotation.ToValue(doc.RootElement);
        }
        JsonAssert.Equal(expected, Json.Deserialize(v.Bytes));
    }

    [Theory]
    [MemberData(nameof(JsonVectors))]
    public void Deserialize_then_serialize_is_byte_identical(string name)
    {
        var v = Vector.Load(name);
        JsonAssert.EqualBytes(v.Bytes, Json.Serialize(Json.Deserialize(v.Bytes)));
    }

    [Theory]
    [MemberData(nameof(JsonVectors))]
    public void Text_field_is_the_hex(string name)
    {
        var v = Vector.Load(name);
        Assert.Equal(v.Decoded.GetProperty("text").GetString(), System.Text.Encoding.UTF8.GetString(v.Bytes));
    }

    [Theory]
    [MemberData(nameof(JsonErrorVectors))]
    public void Values_python_refuses_are_refused(string name)
    {
        var v = Vector.Load(name);
        Assert.Contains("Error", v.Decoded.GetProperty("serialize_error").GetString());
        if (DeliberateDivergence.TryGetValue(name, out var divergence))
        {
            Assert.Equal(divergence.Text, System.Text.Encoding.UTF8.GetString(Json.Serialize(divergence.Value)));
            return;
        }
        var e = Assert.Throws<SerializeException>(() => Json.Serialize(Analogue(name, v)));
        Assert.False(string.IsNullOrWhiteSpace(e.Message));
    }

    [Fact]
    public void Every_vector_is_classified()
    {
        // Guards the lists above against typos: each name must exist with the right kind.
        foreach (var name in ParseOnly.Keys) Assert.Equal("json", Vector.Load(name).Kind);
        foreach (var name in DeliberateDivergence.Keys) Assert.Equal("json_error", Vector.Load(name).Kind);
        Assert.True(Vector.Names("ser_json_").Count(n => Vector.Load(n).Kind == "json") >= 50);
        Assert.True(Vector.Names("ser_json_").Count(n => Vector.Load(n).Kind == "json_error") >= 10);
    }

    [Fact]
    public void Bytes_error_says_json_cannot_carry_bytes()
    {
        var e = Assert.Throws<SerializeException>(() => Json.Serialize(new byte[] { 1, 2 }));
        Assert.Contains("cannot carry bytes", e.Message);
        Assert.Contains("System.Byte[]", e.Message);
    }

    [Fact]
    public void Exception_dict_with_args_list_is_the_same_text()
    {
        // A daemon may build args as a list instead of a tuple: json cannot tell them apart.
        var v = Vector.Load("ser_json_exception_builtin");
        JsonAssert.EqualBytes(v.Bytes, Json.Serialize(ExceptionDict(v.Decoded.GetProperty("value"), argsAsList: true)));
    }

    private static bool IsDescribedObject(JsonElement e) =>
        e.ValueKind == JsonValueKind.Object && (e.TryGetProperty("$repr", out _) || e.TryGetProperty("$exception", out _));
}
