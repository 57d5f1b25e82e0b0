using System.Diagnostics;
using System.Text;
using System.Text.Json;
using TypedPyro.Serialization;
using TypedPyro.Tests.Support;

namespace TypedPyro.Tests.Configuration;

public class PyroConfigTests
{
    // ------------------------------------------------------------------------------------------------------------
    // Against the real Pyro4: defaults and environment parsing, item by item.

    // Each case: the PYRO_* variables to set. Python and TypedPyro must agree on the outcome (items or an error).
    private static readonly Dictionary<string, string>[] EnvironmentCases =
    [
        new(),
        new() { ["PYRO_HOST"] = "myhost" }, // NS_HOST keeps HOST's default
        new() { ["PYRO_HOST"] = "myhost", ["PYRO_NS_HOST"] = "nshost" },
        new() { ["PYRO_COMPRESSION"] = "YES", ["PYRO_SOCK_REUSE"] = "Off", ["PYRO_METADATA"] = "0", ["PYRO_SSL"] = "TrUe", ["PYRO_LOGWIRE"] = "1", ["PYRO_ITER_STREAMING"] = "no", ["PYRO_AUTOPROXY"] = "FALSE", ["PYRO_FLAME_ENABLED"] = "on" },
        new() { ["PYRO_COMPRESSION"] = "maybe" },
        new() { ["PYRO_COMPRESSION"] = "" },
        new() { ["PYRO_COMPRESSION"] = " true" },
        new() { ["PYRO_SSL_REQUIRECLIENTCERT"] = "2" },
        new() { ["PYRO_NS_PORT"] = " +9_091 ", ["PYRO_THREADPOOL_SIZE"] = "\u0664\u0660", ["PYRO_NATPORT"] = "0012", ["PYRO_PREFER_IP_VERSION"] = "-6" },
        new() { ["PYRO_NS_PORT"] = "9090.0" },
        new() { ["PYRO_NS_PORT"] = "" },
        new() { ["PYRO_NS_PORT"] = "0x10" },
        new() { ["PYRO_MAX_RETRIES"] = "1__0" },
        new() { ["PYRO_MAX_MESSAGE_SIZE"] = "1_000_000_000_000", ["PYRO_THREADPOOL_SIZE_MIN"] = "\u00a07\u3000" },
        new() { ["PYRO_COMMTIMEOUT"] = " 1_0.5 ", ["PYRO_POLLTIMEOUT"] = "1e-1", ["PYRO_ITER_STREAM_LINGER"] = "5", ["PYRO_NS_AUTOCLEAN"] = ".5", ["PYRO_ITER_STREAM_LIFETIME"] = "2.E1" },
        new() { ["PYRO_COMMTIMEOUT"] = "abc" },
        new() { ["PYRO_COMMTIMEOUT"] = "1,5" },
        new() { ["PYRO_POLLTIMEOUT"] = "1._5" },
        new() { ["PYRO_NATHOST"] = "", ["PYRO_NS_BCHOST"] = "0.0.0.0" },
        new() { ["PYRO_NATHOST"] = "  spaced  " },
        new() { ["PYRO_SERIALIZERS_ACCEPTED"] = "serpent, json" },
        new() { ["PYRO_SERIALIZERS_ACCEPTED"] = "" },
        new() { ["PYRO_SERIALIZERS_ACCEPTED"] = "json,json,msgpack" },
        new() { ["PYRO_SERIALIZER"] = "json", ["PYRO_SERVERTYPE"] = "multiplex", ["PYRO_BROADCAST_ADDRS"] = "10.0.0.255, ''", ["PYRO_JSON_MODULE"] = "ujson" },
        new() { ["PYRO_SSL_CACERTS"] = "/tmp/ca.pem", ["PYRO_SSL_SERVERCERT"] = "s.crt", ["PYRO_SSL_SERVERKEY"] = "s.key", ["PYRO_SSL_SERVERKEYPASSWD"] = "pw1", ["PYRO_SSL_CLIENTCERT"] = "c.crt", ["PYRO_SSL_CLIENTKEY"] = "c.key", ["PYRO_SSL_CLIENTKEYPASSWD"] = "it's" },
        new() { ["PYRO_LOGLEVEL"] = "DEBUG", ["PYRO_LOGFILE"] = "{stderr}" },
        new() { ["PYRO_PICKLE_PROTOCOL_VERSION"] = "2", ["PYRO_DILL_PROTOCOL_VERSION"] = "3", ["PYRO_USE_MSG_WAITALL"] = "false", ["PYRO_DETAILED_TRACEBACK"] = "yes", ["PYRO_ONEWAY_THREADED"] = "0", ["PYRO_SOCK_NODELAY"] = "1" },
        new() { ["PYRO_FOO"] = "1", ["PYRO_host"] = "ignored" },
    ];

    private const string ConfigScript = """
        import sys, os, json
        sys.modules['dill'] = None  # TypedPyro has no dill: DILL_PROTOCOL_VERSION must be Pyro's "not available" value
        def clear():
            for k in list(os.environ):
                if k.startswith('PYRO_'):
                    del os.environ[k]
        clear()
        import Pyro4
        from Pyro4.configuration import Configuration
        def fmt(v):
            if isinstance(v, (set, frozenset)):
                return '{' + ', '.join(repr(x) for x in sorted(v)) + '}' if v else 'set()'
            return str(v)
        out = {'version': Pyro4.__version__, 'slots': list(Configuration.__slots__), 'results': []}
        for env in json.load(sys.stdin):
            clear()
            os.environ.update(env)
            try:
                d = Configuration().asDict()
                d['LOGFILE'] = os.environ.get('PYRO_LOGFILE')
                d['LOGLEVEL'] = os.environ.get('PYRO_LOGLEVEL')
                out['results'].append({'items': [[k, fmt(v)] for k, v in sorted(d.items())]})
            except Exception as e:
                out['results'].append({'error': type(e).__name__ + ': ' + str(e)})
        print(json.dumps(out))
        """;

    private static readonly Lazy<JsonElement> PythonResults = new(() =>
    {
        var input = new StringBuilder("[");
        for (int i = 0; i < EnvironmentCases.Length; i++)
        {
            if (i > 0) input.Append(',');
            input.Append(JsonSerializer.Serialize(EnvironmentCases[i]));
        }
        input.Append(']');
        return Pyro4Python.Run(ConfigScript, input.ToString());
    });

    public static TheoryData<int, string> EnvironmentCaseRows()
    {
        var data = new TheoryData<int, string>();
        for (int i = 0; i < EnvironmentCases.Length; i++)
        {
            data.Add(i, string.Join(" ", EnvironmentCases[i].Select(kv => kv.Key + "=" + JsonSerializer.Serialize(kv.Value))));
        }
        return data;
    }

    [Fact]
    public void Python_is_Pyro4_4_82()
        => Assert.Equal("4.82", PythonResults.Value.GetProperty("version").GetString());

    [Fact]
    public void Item_names_are_Pythons_slots_in_order()
    {
        var slots = PythonResults.Value.GetProperty("slots").EnumerateArray().Select(e => e.GetString()!).ToList();
        Assert.Equal(slots, PyroConfig.ItemNames);
    }

    [Fact]
    public void Defaults_equal_Python_defaults_item_by_item()
    {
        var expected = PythonResults.Value.GetProperty("results")[0].GetProperty("items");
        AssertItemsEqual(expected, new PyroConfig().ListItems(), "new PyroConfig()");
        AssertItemsEqual(expected, PyroConfig.FromEnvironment(new Dictionary<string, string?>()).ListItems(), "FromEnvironment({})");
    }

    [Theory]
    [MemberData(nameof(EnvironmentCaseRows))]
    public void Environment_parsing_matches_Python(int index, string variables)
    {
        var python = PythonResults.Value.GetProperty("results")[index];
        var env = EnvironmentCases[index].ToDictionary(kv => kv.Key, kv => (string?)kv.Value);
        if (python.TryGetProperty("error", out var error))
        {
            var ex = Assert.Throws<FormatException>(() => PyroConfig.FromEnvironment(env));
            // The message must name the variable at fault (Python's int()/float() errors do not, ours do).
            Assert.Contains(EnvironmentCases[index].Keys.Single(), ex.Message, StringComparison.Ordinal);
            Assert.StartsWith("ValueError", error.GetString(), StringComparison.Ordinal);
        }
        else
        {
            AssertItemsEqual(python.GetProperty("items"), PyroConfig.FromEnvironment(env).ListItems(), variables);
        }
    }

    private static void AssertItemsEqual(JsonElement expected, IReadOnlyList<(string PyroName, string Value)> actual, string context)
    {
        var expectedItems = expected.EnumerateArray().Select(e => (e[0].GetString()!, e[1].GetString()!)).ToList();
        Assert.Equal(expectedItems.Select(e => e.Item1), actual.Select(a => a.PyroName));
        for (int i = 0; i < expectedItems.Count; i++)
        {
            var (name, value) = expectedItems[i];
            Assert.True(value == actual[i].Value, $"{context}: {name} is {JsonSerializer.Serialize(actual[i].Value)}, Python has {JsonSerializer.Serialize(value)}");
        }
    }

    // ------------------------------------------------------------------------------------------------------------
    // Typed values and quirks, without Python.

    private static PyroConfig FromEnv(params (string Name, string? Value)[] variables)
        => PyroConfig.FromEnvironment(variables.ToDictionary(v => v.Name, v => v.Value));

    [Fact]
    public void Typed_defaults()
    {
        var c = new PyroConfig();
        Assert.Equal("localhost", c.Host);
        Assert.Equal("localhost", c.NsHost);
        Assert.Equal(9090, c.NsPort);
        Assert.Equal(9091, c.NsBcPort);
        Assert.Null(c.NsBcHost);
        Assert.Null(c.NatHost);
        Assert.Equal(TimeSpan.Zero, c.CommTimeout);
        Assert.Equal(TimeSpan.FromSeconds(2), c.PollTimeout);
        Assert.Equal(TimeSpan.FromSeconds(30), c.IterStreamLinger);
        Assert.Equal(40, c.ThreadPoolSize);
        Assert.Equal(4, c.ThreadPoolSizeMin);
        Assert.Equal(0L, c.MaxMessageSize);
        Assert.Equal("serpent", c.Serializer);
        Assert.True(c.SerializersAccepted.SetEquals(["serpent", "marshal", "json"]));
        Assert.True(c.Metadata && c.RequireExpose && c.AutoProxy && c.IterStreaming && c.SockReuse && c.OnewayThreaded);
        Assert.False(c.Ssl || c.Compression || c.FlameEnabled || c.LogWire || c.SockNoDelay || c.DetailedTraceback);
        Assert.Equal(-1, c.DillProtocolVersion);
        Assert.Null(c.LogLevel);
        Assert.Null(c.LogFile);
    }

    [Fact]
    public void Environment_values_are_typed()
    {
        var c = FromEnv(("PYRO_COMMTIMEOUT", "1.5"), ("PYRO_NS_PORT", "+9_091"), ("PYRO_COMPRESSION", "ON"), ("PYRO_MAX_MESSAGE_SIZE", "5000000000"),
            ("PYRO_NATHOST", ""), ("PYRO_LOGLEVEL", "WARNING"), ("PYRO_SSL", null));
        Assert.Equal(TimeSpan.FromMilliseconds(1500), c.CommTimeout);
        Assert.Equal(9091, c.NsPort);
        Assert.True(c.Compression);
        Assert.Equal(5_000_000_000L, c.MaxMessageSize);
        Assert.Equal("", c.NatHost);
        Assert.Equal("WARNING", c.LogLevel);
        Assert.False(c.Ssl); // a null value means unset
    }

    [Fact]
    public void Pyro_host_does_not_change_ns_host()
    {
        var c = FromEnv(("PYRO_HOST", "0.0.0.0"));
        Assert.Equal("0.0.0.0", c.Host);
        Assert.Equal("localhost", c.NsHost);
    }

    [Fact]
    public void Serializers_accepted_split_without_trimming_and_fail_at_use()
    {
        var c = FromEnv(("PYRO_SERIALIZERS_ACCEPTED", "serpent, json"));
        Assert.True(c.SerializersAccepted.SetEquals(["serpent", " json"]));
        var ex = Assert.Throws<SerializeException>(() => c.GetAcceptedSerializerIds());
        Assert.Equal("serializer ' json' is unknown or not available", ex.Message);

        var ok = FromEnv(("PYRO_SERIALIZERS_ACCEPTED", "json,msgpack,serpent"));
        Assert.True(ok.GetAcceptedSerializerIds().SetEquals([SerializerId.Json, SerializerId.MsgPack, SerializerId.Serpent]));
        Assert.True(new PyroConfig().GetAcceptedSerializerIds().SetEquals([SerializerId.Serpent, SerializerId.Marshal, SerializerId.Json]));
    }

    [Theory]
    [InlineData("PYRO_COMPRESSION", "maybe", "invalid boolean value: PYRO_COMPRESSION=maybe")]
    [InlineData("PYRO_SSL", "YES PLEASE", "invalid boolean value: PYRO_SSL=yes please")]
    [InlineData("PYRO_NS_PORT", "abc", "invalid integer value: PYRO_NS_PORT=abc")]
    [InlineData("PYRO_COMMTIMEOUT", "1,5", "invalid float value: PYRO_COMMTIMEOUT=1,5")]
    // Deviations: Python accepts these (and fails later, or never); .NET types cannot hold them.
    [InlineData("PYRO_NS_PORT", "99999999999", "invalid integer value: PYRO_NS_PORT=99999999999 (out of range")]
    [InlineData("PYRO_COMMTIMEOUT", "-1", "invalid float value: PYRO_COMMTIMEOUT=-1 (expected a finite number of seconds >= 0)")]
    [InlineData("PYRO_POLLTIMEOUT", "inf", "invalid float value: PYRO_POLLTIMEOUT=inf (expected")]
    [InlineData("PYRO_ITER_STREAM_LINGER", "nan", "invalid float value: PYRO_ITER_STREAM_LINGER=nan (expected")]
    public void Invalid_values_name_the_variable(string variable, string value, string messageStart)
    {
        var ex = Assert.Throws<FormatException>(() => FromEnv((variable, value)));
        Assert.StartsWith(messageStart, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Process_environment_is_read_when_no_dictionary_is_given()
    {
        var variables = Environment.GetEnvironmentVariables();
        var env = new Dictionary<string, string?>();
        foreach (System.Collections.DictionaryEntry entry in variables)
        {
            if (entry.Key is string key && key.StartsWith("PYRO_", StringComparison.Ordinal)) env[key] = entry.Value as string;
        }
        Assert.Equal(PyroConfig.FromEnvironment(env).ListItems(), PyroConfig.FromEnvironment().ListItems());
        Assert.Same(PyroConfig.Default, PyroConfig.Default);
    }

    [Fact]
    public void Clone_is_deep()
    {
        var original = new PyroConfig { Host = "a", CommTimeout = TimeSpan.FromSeconds(3) };
        var copy = original.Clone();
        copy.Host = "b";
        copy.SerializersAccepted.Add("msgpack");
        copy.SerializersAccepted.Remove("json");
        Assert.Equal("a", original.Host);
        Assert.Equal(TimeSpan.FromSeconds(3), copy.CommTimeout);
        Assert.True(original.SerializersAccepted.SetEquals(["serpent", "marshal", "json"]));
        Assert.True(copy.SerializersAccepted.SetEquals(["serpent", "marshal", "msgpack"]));
    }

    [Fact]
    public void Serializers_accepted_setter_copies()
    {
        var mine = new HashSet<string> { "json" };
        var c = new PyroConfig { SerializersAccepted = mine };
        mine.Add("serpent");
        Assert.True(c.SerializersAccepted.SetEquals(["json"]));
        Assert.Throws<ArgumentNullException>(() => c.SerializersAccepted = null!);
        Assert.Throws<ArgumentNullException>(() => c.Host = null!);
    }

    [Fact]
    public void List_items_are_sorted_and_formatted_like_python_str()
    {
        var c = new PyroConfig { CommTimeout = TimeSpan.FromMilliseconds(100), NatHost = "ext", SerializersAccepted = new HashSet<string>(), LogFile = "x.log" };
        var items = c.ListItems();
        Assert.Equal(items.Select(i => i.PyroName).Order(StringComparer.Ordinal), items.Select(i => i.PyroName));
        Assert.Equal(PyroConfig.ItemNames.Count + 2, items.Count);
        var map = items.ToDictionary(i => i.PyroName, i => i.Value);
        Assert.Equal("0.1", map["COMMTIMEOUT"]);
        Assert.Equal("2.0", map["POLLTIMEOUT"]);
        Assert.Equal("ext", map["NATHOST"]);
        Assert.Equal("None", map["NS_BCHOST"]);
        Assert.Equal("set()", map["SERIALIZERS_ACCEPTED"]);
        Assert.Equal("True", map["METADATA"]);
        Assert.Equal("x.log", map["LOGFILE"]);
        Assert.Equal("None", map["LOGLEVEL"]);
    }

    [Theory]
    [InlineData("<broadcast>, 0.0.0.0", new[] { "<broadcast>", "0.0.0.0" })]
    [InlineData(" 10.0.0.255 ,'',x", new[] { "10.0.0.255", "", "x" })]
    [InlineData("", new[] { "" })]
    public void Broadcast_addresses_are_parsed_like_parseAddressesString(string raw, string[] expected)
        => Assert.Equal(expected, new PyroConfig { BroadcastAddrs = raw }.GetBroadcastAddresses());

    [Fact]
    public void Docs_table_covers_every_item()
    {
        var path = Path.GetFullPath(Path.Combine(Vector.Directory, "..", "..", "docs", "configuration.md"));
        var lines = File.ReadAllLines(path);
        foreach (var name in PyroConfig.ItemNames.Append("LOGLEVEL").Append("LOGFILE"))
        {
            Assert.True(lines.Any(l => l.StartsWith("| `" + name + "` |", StringComparison.Ordinal) && l.Contains("`PYRO_" + name + "`", StringComparison.Ordinal)),
                $"docs/configuration.md has no table row for {name}");
        }
    }
}

/// <summary>Runs a script with the real Python Pyro4 (Debian's <c>/usr/bin/python3</c>), PYRO_* variables removed.</summary>
internal static class Pyro4Python
{
    private const string Python = "/usr/bin/python3";

    /// <summary>Runs <paramref name="script"/> with <paramref name="stdin"/> as input; returns its stdout parsed as JSON.</summary>
    public static JsonElement Run(string script, string stdin)
    {
        if (!File.Exists(Python))
            Assert.Fail($"{Python} not found: these tests compare with the real Pyro4 4.82 (Debian package python3-pyro4).");
        var psi = new ProcessStartInfo(Python)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardInputEncoding = new UTF8Encoding(false),
            StandardOutputEncoding = Encoding.UTF8,
        };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(script);
        foreach (var key in psi.Environment.Keys.Where(k => k.StartsWith("PYRO_", StringComparison.OrdinalIgnoreCase)).ToList()) psi.Environment.Remove(key);
        psi.Environment["PYTHONIOENCODING"] = "utf-8";
        psi.Environment["PYTHONHASHSEED"] = "0";

        using var process = Process.Start(psi)!;
        var stderrTask = process.StandardError.ReadToEndAsync();
        var stdoutTask = process.StandardOutput.ReadToEndAsync();
        process.StandardInput.Write(stdin);
        process.StandardInput.Close();
        if (!process.WaitForExit(120_000))
        {
            process.Kill();
            Assert.Fail("python timed out");
        }
        var stdout = stdoutTask.GetAwaiter().GetResult();
        var stderr = stderrTask.GetAwaiter().GetResult();
        if (process.ExitCode != 0)
            Assert.Fail($"{Python} failed (exit {process.ExitCode}); is Pyro4 4.82 installed for it (python3-pyro4)?\n{stderr}");
        using var doc = JsonDocument.Parse(stdout);
        return doc.RootElement.Clone();
    }
}
