using System.Globalization;
using BigInteger = System.Numerics.BigInteger;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using TypedPyro.Serialization;
using TypedPyro.Tests.Support;
using TypedPyro.Tests.Configuration;

namespace TypedPyro.Tests.Addressing;

public class PyroUriTests
{
    // ------------------------------------------------------------------------------------------------------------
    // uri_parsing_cases.json: Python's Pyro4.core.URI on many inputs.

    private static readonly Lazy<JsonElement[]> ParsingCasesData = new(() =>
        Vector.Load("uri_parsing_cases").Decoded.GetProperty("cases").EnumerateArray().ToArray());

    public static TheoryData<int, string> ParsingCases()
    {
        var data = new TheoryData<int, string>();
        var cases = ParsingCasesData.Value;
        for (int i = 0; i < cases.Length; i++) data.Add(i, cases[i].GetProperty("input").GetString()!);
        return data;
    }

    [Fact]
    public void Parsing_cases_file_is_not_empty() => Assert.True(ParsingCasesData.Value.Length >= 30);

    [Theory]
    [MemberData(nameof(ParsingCases))]
    public void Parse_matches_python(int index, string input)
        => AssertMatchesPython(ParsingCasesData.Value[index], input);

    /// <summary>Checks our parse of <paramref name="input"/> against one Python result in the vector's case format.</summary>
    private static void AssertMatchesPython(JsonElement expected, string input)
    {
        Assert.Equal(input, expected.GetProperty("input").GetString());
        if (!expected.GetProperty("ok").GetBoolean())
        {
            var error = expected.GetProperty("error").GetString()!;
            Assert.StartsWith("PyroError: ", error, StringComparison.Ordinal);
            var ex = Assert.Throws<PyroException>(() => PyroUri.Parse(input));
            Assert.Equal(error["PyroError: ".Length..], ex.Message);
            Assert.False(PyroUri.TryParse(input, out var none));
            Assert.Null(none);
            return;
        }

        var uri = PyroUri.Parse(input);
        Assert.True(PyroUri.TryParse(input, out var again));
        Assert.Equal(uri, again);
        Assert.Equal(expected.GetProperty("protocol").GetString(), uri.ProtocolName);
        var obj = expected.GetProperty("object");
        if (obj.ValueKind == JsonValueKind.Array)
        {
            Assert.Equal(PyroUriProtocol.PyroMeta, uri.Protocol);
            Assert.Equal(obj.EnumerateArray().Select(e => e.GetString()!).Order(StringComparer.Ordinal), uri.MetaTags.Order(StringComparer.Ordinal));
            Assert.Equal(string.Join(",", uri.MetaTags), uri.Object);
        }
        else
        {
            Assert.Equal(obj.GetString(), uri.Object);
            Assert.Empty(uri.MetaTags);
        }
        Assert.Equal(NullableString(expected.GetProperty("sockname")), uri.UnixSocketPath);
        Assert.Equal(uri.UnixSocketPath is not null, uri.IsUnixSocket);
        Assert.Equal(NullableString(expected.GetProperty("host")), uri.Host);
        var port = expected.GetProperty("port");
        Assert.Equal(port.ValueKind == JsonValueKind.Null ? null : port.GetInt32(), uri.Port);
        Assert.Equal(NullableString(expected.GetProperty("location")), uri.Location);
        if (NullableString(expected.GetProperty("str")) is string str) Assert.Equal(str, uri.ToString());

        // Whatever Python prints with a location parses back to an equal URI.
        if (uri.Location is not null) Assert.Equal(uri, PyroUri.Parse(uri.ToString()));
    }

    private static string? NullableString(JsonElement e) => e.ValueKind == JsonValueKind.Null ? null : e.GetString();

    // ------------------------------------------------------------------------------------------------------------
    // More corner cases, answered by the real Pyro4 at test time (fails if /usr/bin/python3 has no Pyro4).

    private static readonly string[] TrickyInputs =
    [
        "PYRO:obj@host:1\n", "PYRONAME:x\n", "PYRO:obj@host:1\n\n", "PYRO:obj@\n", "PYRONAME:x@h\n:1", "PYRONAME:x@h:1\r\n",
        "PYRO:obj@h:1\u001c", "PYRO:obj\u001c@h:1", "PYRO:obj\u0085x@h:1", "PYRO:obj\u200bx@h:1", "PYRO:a\r@h:1", "PYRO:a\u3000@h:1",
        "PYROMETA:a,,b", "PYROMETA:,", "PYROMETA:a,a", "pyrometa:A@h", "PYROMETA:x@./u:/s",
        "PYRO:obj@host:\u0661\u0662", "PYRO:obj@[::1]:\u0661\u0662", "PYRO:x@h:\U0001D7CF", "PYRO:x@[::1]:\U0001D7CF\U0001D7CE", "PYRO:obj@h:\u0663\n",
        "PYRONAME:x@[::1]junk", "PYRO:obj@[::1]:5555junk", "PYRO:obj@[abc]x:1", "PYRONAME:x@[abc]x:1", "PYRO:obj@[]:1", "PYRO:obj@[::1]:",
        "PYRO:obj@[::ffff:127.0.0.1]:1", "PYRO:obj@[FE80::1%25eth0]:1", "PYRO:obj@[[x:1",
        "PYRO:obj@host:", "PYRONAME:x@host:", "PYRO:obj@host:-1", "PYRONAME:x@host:0", "PYROname:x@h:00012", "PYRO:obj@h:1:",
        "PYRO:obj@host:1_0", "PYRO:obj@host:1__0", "PYRO:obj@host:_1", "PYRO:obj@host:\u00a012\u3000", "PYRO:obj@host: 1 2", "PYRO:obj@host:\u001c1",
        "PYRO:obj@host:0x10", "PYRO:obj@host:1.0", "PYRO:x@h:1 ",
        "PYRO:obj@", "PYRO:@h:1", "PYRO:obj@@h:1", "PYRONAME:x@./u:", "PYRO:obj@./u:/tmp/x y", "PYRO:obj@my host:1", "PYRO:obj@./U:x",
        "", "PYRO", "PYRO:", "pyro:", "PYRO:x", "PYR:x@h:1", "PYRO1:x@h:1", "PYRO\u00c9:x@h:1", " PYRO:x@h:1", "PYROX :x@h:1",
        "PYRO:\U0001F600@h:1", "PYRONAME:\u00e9.t\u00eate@h",
    ];

    private const string UriScript = """
        import sys, json
        from Pyro4.core import URI
        out = []
        for s in json.load(sys.stdin):
            try:
                u = URI(s)
                obj = sorted(u.object) if isinstance(u.object, set) else u.object
                single = not isinstance(u.object, set) or len(u.object) <= 1
                out.append({'input': s, 'ok': True, 'protocol': u.protocol, 'object': obj, 'sockname': u.sockname,
                            'host': u.host, 'port': u.port, 'location': u.location, 'str': str(u) if single else None})
            except Exception as e:
                out.append({'input': s, 'ok': False, 'error': type(e).__name__ + ': ' + str(e)})
        print(json.dumps(out))
        """;

    private static readonly Lazy<JsonElement> TrickyResults = new(() =>
        Pyro4Python.Run(UriScript, JsonSerializer.Serialize(TrickyInputs)));

    public static TheoryData<int, string> TrickyRows()
    {
        var data = new TheoryData<int, string>();
        for (int i = 0; i < TrickyInputs.Length; i++) data.Add(i, TrickyInputs[i]);
        return data;
    }

    [Theory]
    [MemberData(nameof(TrickyRows))]
    public void Parse_matches_python_on_corner_cases(int index, string input)
        => AssertMatchesPython(TrickyResults.Value[index], input);

    [Fact]
    public void Port_beyond_int_range_is_rejected_unlike_python()
    {
        // Python keeps any int (the connect fails later); Port is an int here.
        var ex = Assert.Throws<PyroException>(() => PyroUri.Parse("PYRO:obj@host:99999999999"));
        Assert.Equal("invalid port in uri, port=99999999999", ex.Message);
    }

    [Theory]
    [InlineData("PYRONAME:x@h", 1234, "PYRONAME:x@h:1234")]
    [InlineData("PYROMETA:t@h", 5, "PYROMETA:t@h:5")]
    [InlineData("PYRONAME:x@h:9", 1234, "PYRONAME:x@h:9")]
    [InlineData("PYRONAME:x", 1234, "PYRONAME:x")]
    public void Default_ns_port_is_a_parameter(string input, int nsPort, string expected)
    {
        Assert.Equal(expected, PyroUri.Parse(input, nsPort).ToString());
        Assert.True(PyroUri.TryParse(input, nsPort, out var uri));
        Assert.Equal(expected, uri.ToString());
    }

    [Fact]
    public void Parse_null_throws_ArgumentNullException()
    {
        Assert.Throws<ArgumentNullException>(() => PyroUri.Parse(null!));
        Assert.False(PyroUri.TryParse(null, out _));
    }

    // ------------------------------------------------------------------------------------------------------------
    // Construction, equality.

    [Theory]
    [InlineData("obj_123", "127.0.0.1", 9999, "PYRO:obj_123@127.0.0.1:9999")]
    [InlineData("obj", "::1", 5555, "PYRO:obj@[::1]:5555")]
    [InlineData("Pyro.NameServer", "localhost", 9090, "PYRO:Pyro.NameServer@localhost:9090")]
    [InlineData("obj", "<<connected-socket>>", 0, "PYRO:obj@<<connected-socket>>:0")]
    [InlineData("a:b", "h", 65535, "PYRO:a:b@h:65535")]
    public void Daemon_uri_constructor(string objectId, string host, int port, string expected)
    {
        var uri = new PyroUri(objectId, host, port);
        Assert.Equal(expected, uri.ToString());
        Assert.Equal(PyroUriProtocol.Pyro, uri.Protocol);
        Assert.Equal(objectId, uri.Object);
        Assert.Equal(host, uri.Host);
        Assert.Equal(port, uri.Port);
        Assert.False(uri.IsUnixSocket);
        Assert.Equal(uri, PyroUri.Parse(expected));
    }

    [Theory]
    [InlineData("a@b", "h", 1)]
    [InlineData("", "h", 1)]
    [InlineData("has space", "h", 1)]
    [InlineData("obj", "", 1)]
    [InlineData("obj", "fe80::1%eth0", 1)]
    [InlineData("obj", "h\n", 1)]
    [InlineData("obj", "h", -1)]
    [InlineData("obj", "h", 65536)]
    public void Daemon_uri_constructor_rejects_parts_that_do_not_round_trip(string objectId, string host, int port)
        => Assert.ThrowsAny<ArgumentException>(() => new PyroUri(objectId, host, port));

    [Fact]
    public void Unix_socket_uri()
    {
        var uri = PyroUri.ForUnixSocket("obj", "/tmp/pyro.sock");
        Assert.Equal("PYRO:obj@./u:/tmp/pyro.sock", uri.ToString());
        Assert.True(uri.IsUnixSocket);
        Assert.Equal("/tmp/pyro.sock", uri.UnixSocketPath);
        Assert.Null(uri.Host);
        Assert.Null(uri.Port);
        Assert.Equal("./u:/tmp/pyro.sock", uri.Location);
        Assert.ThrowsAny<ArgumentException>(() => PyroUri.ForUnixSocket("obj", "a:b"));
        Assert.ThrowsAny<ArgumentException>(() => PyroUri.ForUnixSocket("obj", ""));
        Assert.ThrowsAny<ArgumentException>(() => PyroUri.ForUnixSocket("o@x", "/s"));
    }

    [Fact]
    public void Name_and_meta_uris()
    {
        Assert.Equal("PYRONAME:my.name", PyroUri.ForName("my.name").ToString());
        Assert.Equal("PYRONAME:my.name@nshost:9090", PyroUri.ForName("my.name", "nshost").ToString());
        Assert.Equal("PYRONAME:my.name@[::1]:1234", PyroUri.ForName("my.name", "::1", 1234).ToString());
        Assert.ThrowsAny<ArgumentException>(() => PyroUri.ForName("my.name", null, 1234));
        Assert.ThrowsAny<ArgumentException>(() => PyroUri.ForName("my name"));
        Assert.ThrowsAny<ArgumentException>(() => PyroUri.ForName("a@b"));

        var meta = PyroUri.ForMeta(["tag1", "tag2", "tag1"], "nshost");
        Assert.Equal("PYROMETA:tag1,tag2@nshost:9090", meta.ToString());
        Assert.Equal(new[] { "tag1", "tag2" }, meta.MetaTags);
        Assert.Equal(PyroUri.Parse("PYROMETA:tag2,tag1@nshost"), meta);
        Assert.ThrowsAny<ArgumentException>(() => PyroUri.ForMeta([]));
        Assert.ThrowsAny<ArgumentException>(() => PyroUri.ForMeta(["a,b"]));
        Assert.ThrowsAny<ArgumentException>(() => PyroUri.ForMeta(["a b"]));
        Assert.ThrowsAny<ArgumentException>(() => PyroUri.ForMeta([""]));
        Assert.Equal("PYROMETA:class:demo.Echo@nshost:9090", PyroUri.ForMeta(["class:demo.Echo"], "nshost").ToString());
    }

    [Theory]
    [InlineData("pyro:obj@host:+012", "PYRO:obj@host:12")]
    [InlineData("PYRONAME:x@nshost", "PYRONAME:x@nshost:9090")]
    [InlineData("PYROMETA:b,a", "PYROMETA:b,a")]
    [InlineData("PYRO:obj@[::1]:5555junk", "PYRO:obj@[::1]:5555")]
    public void Formatting_examples_from_the_docs(string input, string expected)
        => Assert.Equal(expected, PyroUri.Parse(input).ToString());

    [Fact]
    public void Equality_follows_python()
    {
        var a = PyroUri.Parse("pyro:obj@h:1");
        var b = new PyroUri("obj", "h", 1);
        Assert.Equal(a, b);
        Assert.True(a == b);
        Assert.False(a != b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(a, PyroUri.Parse("PYRO:obj@h:2"));
        Assert.NotEqual(a, PyroUri.Parse("PYRO:obj@H:1")); // hosts compare as strings, like Python
        Assert.NotEqual(a, PyroUri.Parse("PYRO:Obj@h:1"));
        Assert.NotEqual(PyroUri.Parse("PYRONAME:obj@h:1"), PyroUri.Parse("PYRO:obj@h:1"));
        Assert.NotEqual(PyroUri.Parse("PYRONAME:x"), PyroUri.Parse("PYRONAME:x@h"));
        var m1 = PyroUri.Parse("PYROMETA:a,b,c");
        var m2 = PyroUri.Parse("PYROMETA:c,a,b,a");
        Assert.Equal(m1, m2);
        Assert.Equal(m1.GetHashCode(), m2.GetHashCode());
        Assert.NotEqual(m1, PyroUri.Parse("PYROMETA:a,b"));
        Assert.NotEqual(PyroUri.Parse("PYROMETA:a"), PyroUri.Parse("PYRONAME:a"));
        Assert.False(a.Equals(null));
        Assert.False(a.Equals("PYRO:obj@h:1"));
        Assert.True((PyroUri?)null == null);
    }

    // ------------------------------------------------------------------------------------------------------------
    // Wire forms.

    /// <summary>Every <c>Pyro4.core.URI</c> class dict inside any vector's decoded content: (vector, JSON path).</summary>
    public static TheoryData<string, string> UriDictsInVectors()
    {
        var data = new TheoryData<string, string>();
        foreach (var name in Vector.Names(""))
        {
            var root = Vector.Load(name).Root;
            if (!root.TryGetProperty("decoded", out var decoded)) continue;
            foreach (var path in FindUriDicts(decoded, "")) data.Add(name, path);
        }
        return data;
    }

    private static IEnumerable<string> FindUriDicts(JsonElement e, string path)
    {
        if (e.ValueKind == JsonValueKind.Object)
        {
            if (e.TryGetProperty("__class__", out var cls) && cls.ValueKind == JsonValueKind.String && cls.GetString() == PyroUri.WireClassName)
                yield return path;
            foreach (var p in e.EnumerateObject())
                foreach (var found in FindUriDicts(p.Value, path + "/" + p.Name)) yield return found;
        }
        else if (e.ValueKind == JsonValueKind.Array)
        {
            int i = 0;
            foreach (var item in e.EnumerateArray())
                foreach (var found in FindUriDicts(item, path + "/" + i++)) yield return found;
        }
    }

    private static JsonElement At(JsonElement e, string path)
    {
        foreach (var part in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
            e = e.ValueKind == JsonValueKind.Array ? e[int.Parse(part, CultureInfo.InvariantCulture)] : e.GetProperty(part);
        return e;
    }

    [Fact]
    public void Vectors_contain_uri_dicts() => Assert.True(UriDictsInVectors().Count >= 5);

    [Theory]
    [MemberData(nameof(UriDictsInVectors))]
    public void Uri_dicts_in_vectors_round_trip(string vector, string path)
    {
        var wire = FromTypedNotation(At(Vector.Load(vector).Root.GetProperty("decoded"), path));
        var uri = PyroUri.FromWireValue(wire);
        var state = (IReadOnlyList<object?>)((Dictionary<object, object?>)wire!)["state"]!;
        Assert.Equal(state[0], uri.ProtocolName);
        Assert.Equal(state[1], uri.Object);
        Assert.Equal(state[2], uri.UnixSocketPath);
        Assert.Equal(state[3], uri.Host);
        Assert.Equal(state[4], (object?)(uri.Port is int p ? (long)p : null));
        Assert.Equal(JsonStateAsTuple(wire), uri.ToWireValue(), PyValueComparer.Instance);
        Assert.Equal(uri, PyroUri.FromWireValue(uri.ToWireValue()));
        Assert.Equal(uri, PyroUri.FromWireValue(uri.ToString()));
    }

    public static TheoryData<string> SerializerUriVectors()
    {
        var data = new TheoryData<string>();
        foreach (var name in Vector.Names("ser_serpent_uri").Concat(Vector.Names("ser_json_uri"))) data.Add(name);
        return data;
    }

    [Fact]
    public void Serializer_uri_vectors_exist() => Assert.True(SerializerUriVectors().Count >= 4);

    [Theory]
    [MemberData(nameof(SerializerUriVectors))]
    public void Serialized_uri_vectors(string name)
    {
        var vector = Vector.Load(name);
        var text = vector.Decoded.GetProperty("text").GetString()!;
        Assert.Equal(text, Encoding.UTF8.GetString(vector.Bytes));
        object? wire;
        if (vector.Kind == "json")
        {
            using var doc = JsonDocument.Parse(text);
            wire = FromTypedNotation(doc.RootElement);
        }
        else
        {
            wire = SerpentLiteral.Parse(text);
        }
        var uri = PyroUri.FromWireValue(wire);

        // python_repr is "<Pyro4.core.URI at 0x...; str(uri)>".
        var repr = vector.Decoded.GetProperty("python_repr").GetString()!;
        var str = Regex.Match(repr, "^<Pyro4\\.core\\.URI at 0x[0-9a-f]+; (.*)>$").Groups[1].Value;
        Assert.NotEmpty(str);
        Assert.Equal(str, uri.ToString());
        Assert.Equal(PyroUri.Parse(str), uri);
        Assert.Equal(JsonStateAsTuple(wire), uri.ToWireValue(), PyValueComparer.Instance);
    }

    /// <summary>
    /// <see cref="TypedNotation.ToValue"/>, with integers that fit made <see cref="long"/> as the object model says
    /// (TypedNotation currently returns every integer as a BigInteger: its conditional expression converts the long).
    /// </summary>
    private static object? FromTypedNotation(JsonElement e) => LongsWhereTheyFit(TypedNotation.ToValue(e));

    private static object? LongsWhereTheyFit(object? value) => value switch
    {
        BigInteger b when b >= long.MinValue && b <= long.MaxValue => (long)b,
        PyTuple t => new PyTuple(t.Select(LongsWhereTheyFit).ToArray()),
        List<object?> l => l.Select(LongsWhereTheyFit).ToList(),
        HashSet<object?> s => new HashSet<object?>(s.Select(LongsWhereTheyFit), PyValueComparer.Instance),
        Dictionary<object, object?> d => d.ToDictionary(kv => LongsWhereTheyFit(kv.Key)!, kv => LongsWhereTheyFit(kv.Value), d.Comparer),
        _ => value,
    };

    [Fact]
    public void From_wire_value_accepts_a_BigInteger_port_that_fits()
        => Assert.Equal(45678, PyroUri.FromWireValue(UriDict(new PyTuple("PYRO", "o", null, "h", new BigInteger(45678)))).Port);

    /// <summary>json turns the state tuple into a list; our wire value always has the tuple.</summary>
    private static object? JsonStateAsTuple(object? wire)
    {
        var dict = (Dictionary<object, object?>)wire!;
        if (dict["state"] is List<object?> list)
        {
            var copy = new Dictionary<object, object?>(dict) { ["state"] = new PyTuple([.. list]) };
            return copy;
        }
        return dict;
    }

    [Fact]
    public void Wire_value_shape()
    {
        var wire = Assert.IsType<Dictionary<object, object?>>(PyroUri.Parse("PYRO:obj_123@127.0.0.1:9999").ToWireValue());
        Assert.Equal(new object[] { "__class__", "state" }, wire.Keys);
        Assert.Equal("Pyro4.core.URI", wire["__class__"]);
        var state = Assert.IsType<PyTuple>(wire["state"]);
        Assert.Equal(new PyTuple("PYRO", "obj_123", null, "127.0.0.1", 9999L), state);
        Assert.IsType<long>(state[4]);

        var unix = (PyTuple)((Dictionary<object, object?>)PyroUri.ForUnixSocket("obj", "/tmp/pyro.sock").ToWireValue())["state"]!;
        Assert.Equal(new PyTuple("PYRO", "obj", "/tmp/pyro.sock", null, null), unix);

        var name = (PyTuple)((Dictionary<object, object?>)PyroUri.Parse("PYRONAME:x").ToWireValue())["state"]!;
        Assert.Equal(new PyTuple("PYRONAME", "x", null, null, null), name);

        var meta = (PyTuple)((Dictionary<object, object?>)PyroUri.Parse("PYROMETA:b,a@h").ToWireValue())["state"]!;
        var tags = Assert.IsType<HashSet<object?>>(meta[1]);
        Assert.True(tags.SetEquals(["a", "b"]));
        Assert.Equal(9090L, meta[4]);

        IPyroWireValue asInterface = PyroUri.Parse("PYRONAME:x");
        Assert.IsType<Dictionary<object, object?>>(asInterface.ToWireValue());
    }

    [Fact]
    public void From_wire_value_accepts_meta_sets_and_lists()
    {
        var set = new Dictionary<object, object?>
        {
            ["__class__"] = "Pyro4.core.URI",
            ["state"] = new PyTuple("PYROMETA", new HashSet<object?>(["x", "y"], PyValueComparer.Instance), null, "h", 9090L),
        };
        var list = new Dictionary<object, object?>
        {
            ["__class__"] = "Pyro4.core.URI",
            ["state"] = new List<object?> { "PYROMETA", new List<object?> { "y", "x" }, null, "h", 9090L },
        };
        Assert.Equal(PyroUri.Parse("PYROMETA:x,y@h"), PyroUri.FromWireValue(set));
        Assert.Equal(PyroUri.Parse("PYROMETA:x,y@h"), PyroUri.FromWireValue(list));
        var uri = PyroUri.Parse("PYRO:o@h:1");
        Assert.Same(uri, PyroUri.FromWireValue(uri));
        Assert.Equal(1234, PyroUri.FromWireValue("PYRONAME:x@h", 1234).Port);
    }

    private static readonly Dictionary<string, object?> BadWireValues = new()
    {
        { "null", null },
        { "int", 42L },
        { "invalid string", "PYRO:obj" },
        { "list", new List<object?> { "PYRO", "obj", null, "h", 1L } },
        { "other class", new Dictionary<object, object?> { ["__class__"] = "Pyro4.core.Proxy", ["state"] = PyTuple.Empty } },
        { "no class", new Dictionary<object, object?> { ["state"] = new PyTuple("PYRO", "obj", null, "h", 1L) } },
        { "no state", new Dictionary<object, object?> { ["__class__"] = "Pyro4.core.URI" } },
        { "short state", UriDict(new PyTuple("PYRO", "obj", null, "h")) },
        { "state not a sequence", UriDict("PYRO:obj@h:1") },
        { "bad protocol", UriDict(new PyTuple("HTTP", "obj", null, "h", 1L)) },
        { "object not str", UriDict(new PyTuple("PYRO", 5L, null, "h", 1L)) },
        { "host not str", UriDict(new PyTuple("PYRO", "obj", null, 5L, 1L)) },
        { "port bool", UriDict(new PyTuple("PYRO", "obj", null, "h", true)) },
        { "port float", UriDict(new PyTuple("PYRO", "obj", null, "h", 1.0)) },
        { "port str", UriDict(new PyTuple("PYRO", "obj", null, "h", "1")) },
        { "port huge", UriDict(new PyTuple("PYRO", "obj", null, "h", BigInteger.Pow(2, 70))) },
        { "host without port", UriDict(new PyTuple("PYRO", "obj", null, "h", null)) },
        { "meta object str", UriDict(new PyTuple("PYROMETA", "a,b", null, null, null)) },
        { "meta tag not str", UriDict(new PyTuple("PYROMETA", new List<object?> { 1L }, null, null, null)) },
    };

    public static TheoryData<string> BadWireValueNames() => new(BadWireValues.Keys);

    private static Dictionary<object, object?> UriDict(object state) => new() { ["__class__"] = "Pyro4.core.URI", ["state"] = state };

    [Theory]
    [MemberData(nameof(BadWireValueNames))]
    public void From_wire_value_rejects(string what)
    {
        var ex = Assert.Throws<PyroException>(() => PyroUri.FromWireValue(BadWireValues[what]));
        Assert.False(string.IsNullOrEmpty(ex.Message));
    }

    /// <summary>Every URI string in the vectors (name server listings, registrations, replies) parses and prints back unchanged.</summary>
    public static TheoryData<string, string> UriStringsInVectors()
    {
        var data = new TheoryData<string, string>();
        var seen = new HashSet<string>();
        foreach (var name in Vector.Names(""))
        {
            if (name == "uri_parsing_cases") continue;
            var root = Vector.Load(name).Root;
            if (!root.TryGetProperty("decoded", out var decoded)) continue;
            foreach (var s in Strings(decoded))
            {
                if (Regex.IsMatch(s, "^PYRO(NAME|META)?:\\S+@\\S+$") && seen.Add(s)) data.Add(name, s);
            }
        }
        return data;
    }

    private static IEnumerable<string> Strings(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.String => [e.GetString()!],
        JsonValueKind.Object => e.EnumerateObject().SelectMany(p => Strings(p.Value)),
        JsonValueKind.Array => e.EnumerateArray().SelectMany(Strings),
        _ => [],
    };

    [Fact]
    public void Vectors_contain_uri_strings() => Assert.True(UriStringsInVectors().Count >= 5);

    [Theory]
    [MemberData(nameof(UriStringsInVectors))]
    public void Uri_strings_in_vectors_round_trip(string vector, string text)
    {
        var uri = PyroUri.Parse(text);
        Assert.Equal(text, uri.ToString());
        Assert.Equal(uri, PyroUri.FromWireValue(uri.ToWireValue()));
        Assert.NotNull(vector);
    }

    /// <summary>
    /// Just enough of a serpent reader for the URI vectors (dict, tuple, list, str, int, None, True, False):
    /// the real serializer lives elsewhere; this keeps the test independent of it.
    /// </summary>
    private sealed class SerpentLiteral
    {
        private readonly string _s;
        private int _pos;

        private SerpentLiteral(string s) => _s = s;

        public static object? Parse(string text)
        {
            if (text.StartsWith('#')) text = text[(text.IndexOf('\n') + 1)..];
            var reader = new SerpentLiteral(text);
            var value = reader.Value();
            reader.Skip();
            Assert.Equal(text.Length, reader._pos);
            return value;
        }

        private void Skip()
        {
            while (_pos < _s.Length && char.IsWhiteSpace(_s[_pos])) _pos++;
        }

        private bool Take(char c)
        {
            Skip();
            if (_pos < _s.Length && _s[_pos] == c)
            {
                _pos++;
                return true;
            }
            return false;
        }

        private List<object?> Items(char close)
        {
            var items = new List<object?>();
            while (!Take(close))
            {
                items.Add(Value());
                if (!Take(',')) { Assert.True(Take(close), "expected " + close); break; }
            }
            return items;
        }

        private object? Value()
        {
            Skip();
            char c = _s[_pos];
            if (Take('(')) return new PyTuple([.. Items(')')]);
            if (Take('[')) return Items(']');
            if (Take('{'))
            {
                var dict = new Dictionary<object, object?>();
                while (!Take('}'))
                {
                    var key = Value()!;
                    Assert.True(Take(':'), "expected :");
                    dict[key] = Value();
                    if (!Take(',')) { Assert.True(Take('}'), "expected }"); break; }
                }
                return dict;
            }
            if (c is '\'' or '"')
            {
                _pos++;
                var sb = new StringBuilder();
                while (_s[_pos] != c)
                {
                    if (_s[_pos] == '\\')
                    {
                        _pos++;
                        sb.Append(_s[_pos] switch { 'n' => '\n', 't' => '\t', 'r' => '\r', var other => other });
                    }
                    else
                    {
                        sb.Append(_s[_pos]);
                    }
                    _pos++;
                }
                _pos++;
                return sb.ToString();
            }
            int start = _pos;
            while (_pos < _s.Length && (char.IsAsciiLetterOrDigit(_s[_pos]) || _s[_pos] is '-' or '+' or '.')) _pos++;
            var word = _s[start.._pos];
            return word switch
            {
                "None" => null,
                "True" => true,
                "False" => false,
                _ => long.Parse(word, CultureInfo.InvariantCulture),
            };
        }
    }
}

/// <summary>A URI's wire value is built once for the serializers, and what <see cref="PyroUri.ToWireValue"/> hands out stays the caller's.</summary>
public sealed class PyroUriWireValueTests
{
    [Fact]
    public void Changing_a_handed_out_wire_value_does_not_change_what_is_serialized()
    {
        var uri = new PyroUri("t.echo", "127.0.0.1", 45678);
        var serpent = PyroSerializers.Serpent;
        var first = serpent.Serialize(uri);
        var handedOut = (Dictionary<object, object?>)uri.ToWireValue();
        handedOut["state"] = new PyTuple("PYRO", "changed", null, "10.0.0.1", 1L);
        Assert.Equal(first, serpent.Serialize(uri));
        Assert.Equal("PYRO:t.echo@127.0.0.1:45678", PyroUri.FromWireValue(serpent.Deserialize(serpent.Serialize(uri))).ToString());
    }
}
