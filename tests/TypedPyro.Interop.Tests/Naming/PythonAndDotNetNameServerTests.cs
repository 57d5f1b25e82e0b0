using System.Text.Json;
using System.Text.RegularExpressions;
using TypedPyro.Cli.Commands;
using TypedPyro.Interop.Tests.Support;

namespace TypedPyro.Interop.Tests.Naming;

/// <summary>
/// The same client sessions against Python's name server and ours must give the same results: Python's Pyro4 proxy
/// (serpent and json), <c>python3 -m Pyro4.nsc</c>, and <c>typedpyro nsc</c>.
/// </summary>
public sealed class PythonAndDotNetNameServerTests
{
    private const string SessionScript = """
        import sys, json, Pyro4, Pyro4.errors, Pyro4.naming
        Pyro4.config.SERIALIZER = sys.argv[1]
        ns = Pyro4.naming.locateNS(sys.argv[2], int(sys.argv[3]))
        out = []
        def norm(v):
            if isinstance(v, Pyro4.core.URI): return "URI:" + str(v)
            if isinstance(v, dict): return {k: norm(x) for k, x in sorted(v.items())}
            if isinstance(v, (list, set, frozenset)) and all(isinstance(x, str) for x in v): return sorted(v)
            if isinstance(v, (list, tuple)): return [type(v).__name__] + [norm(x) for x in v]
            return v
        def rec(label, f):
            try: out.append([label, "ok", norm(f())])
            except Exception as e: out.append([label, type(e).__name__, str(e)])
        rec("ping", lambda: ns.ping())
        rec("count0", lambda: ns.count())
        rec("reg1", lambda: ns.register("a.one", "PYRO:one@127.0.0.1:1", metadata={"x", "y"}))
        rec("reg2", lambda: ns.register("a.two", Pyro4.core.URI("PYRO:two@127.0.0.1:2")))
        rec("reg3", lambda: ns.register("b", "pyro:lower@h:5", metadata=["z"]))
        rec("reg_safe", lambda: ns.register("a.one", "PYRO:other@h:1", safe=True))
        rec("reg_bad_uri", lambda: ns.register("c", "garbage"))
        rec("reg_int_uri", lambda: ns.register("c", 42))
        rec("reg_int_name", lambda: ns.register(42, "PYRO:x@h:1"))
        rec("reg_str_meta", lambda: ns.register("c", "PYRO:x@h:1", metadata="abc"))
        rec("reg_int_meta", lambda: ns.register("c", "PYRO:x@h:1", metadata=5))
        rec("lookup", lambda: ns.lookup("a.one"))
        rec("lookup_meta", lambda: ns.lookup("a.one", return_metadata=True))
        rec("lookup_lower", lambda: ns.lookup("b", True))
        rec("lookup_unknown", lambda: ns.lookup("nope"))
        rec("lookup_int", lambda: ns.lookup(42))
        rec("list", lambda: {k: v for k, v in ns.list().items() if k != "Pyro.NameServer"})
        rec("list_prefix", lambda: ns.list(prefix="a."))
        rec("list_prefix_meta", lambda: ns.list(prefix="a.", return_metadata=True))
        rec("list_regex", lambda: ns.list(regex=r"a\.t"))
        rec("list_regex_start", lambda: ns.list(regex="two"))
        rec("list_regex_bad1", lambda: ns.list(regex="("))
        rec("list_regex_bad2", lambda: ns.list(regex="[a"))
        rec("list_regex_bad3", lambda: ns.list(regex="*a"))
        rec("list_all", lambda: ns.list(metadata_all={"x", "y"}))
        rec("list_any", lambda: ns.list(metadata_any=["y", "z"], return_metadata=True))
        rec("list_all_str", lambda: ns.list(metadata_all="x"))
        rec("list_two_filters", lambda: ns.list(prefix="a", regex="b"))
        rec("list_empty_prefix", lambda: len(ns.list(prefix="")))
        rec("list_empty_meta", lambda: len(ns.list(metadata_all=[])))
        rec("setmeta", lambda: ns.set_metadata("a.two", ["t"]))
        rec("setmeta_check", lambda: ns.lookup("a.two", return_metadata=True))
        rec("setmeta_unknown", lambda: ns.set_metadata("nope", ["t"]))
        rec("setmeta_str", lambda: ns.set_metadata("a.two", "str"))
        rec("setmeta_clear", lambda: ns.set_metadata("a.two", None))
        rec("remove_ns", lambda: ns.remove("Pyro.NameServer"))
        rec("remove_unknown", lambda: ns.remove("nope"))
        rec("remove_prefix", lambda: ns.remove(prefix="a."))
        rec("remove_regex", lambda: ns.remove(regex="b"))
        rec("remove_nothing", lambda: ns.remove())
        rec("count1", lambda: ns.count())
        rec("self", lambda: ns.lookup("Pyro.NameServer", return_metadata=True)[1])
        print(json.dumps(out))
        """;

    private static async Task<JsonElement> RunSessionAsync(string serializer, PyroUri ns)
    {
        var text = await PythonPeer.RunScriptAsync("import sys; sys.argv = ['s', " + string.Join(", ", new[] { serializer, ns.Host!, ns.Port!.Value.ToString() }.Select(a => $"'{a}'")) + "]\n" + SessionScript);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    [Theory]
    [InlineData("serpent")]
    [InlineData("json")]
    public async Task A_python_client_session_gives_the_same_results_on_both_name_servers(string serializer)
    {
        var (python, pythonUri) = await NamingPeers.StartPythonAsync("-n", "127.0.0.1", "-p", "0", "-x");
        await using var _ = python;
        await using var ours = NamingPeers.StartDotNet();

        var expected = await RunSessionAsync(serializer, pythonUri);
        var actual = await RunSessionAsync(serializer, ours.Uri);
        var expectedItems = expected.EnumerateArray().Select(e => e.GetRawText()).ToList();
        var actualItems = actual.EnumerateArray().Select(e => e.GetRawText()).ToList();
        Assert.Equal(expectedItems.Count, actualItems.Count);
        for (int i = 0; i < expectedItems.Count; i++) Assert.Equal(expectedItems[i], actualItems[i]);
    }

    private static readonly string[][] NscCommands =
    [
        ["ping"],
        ["list"],
        ["register", "demo.one", "PYRO:one@127.0.0.1:1111"],
        ["register", "demo.one", "PYRO:one@127.0.0.1:1111"],
        ["register", "demo.two", "pyro:two@127.0.0.1:2222"],
        ["register", "other", "PYRONAME:demo.one"],
        ["register", "bad", "not-a-uri"],
        ["setmeta", "demo.one", "red"],
        ["setmeta", "nope", "red"],
        ["lookup", "demo.one"],
        ["lookup", "demo.two"],
        ["lookup", "nope"],
        ["list"],
        ["list", "demo."],
        ["listmatching", @"demo\.t"],
        ["listmatching", "("],
        ["listmeta_all", "red"],
        ["listmeta_any", "red", "blue"],
        ["remove", "nope"],
        ["remove", "other"],
        ["setmeta", "demo.one"],
        ["removematching", "demo"],
        ["removematching", "demo"],
        ["list"],
    ];

    private const string NscScript = """
        import sys, io, json, contextlib
        from Pyro4 import nsc
        host, port, commands = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
        outputs = []
        for i, cmd in enumerate(commands):
            buf = io.StringIO()
            sys.stdin = io.StringIO("y\n" if i % 2 == 1 else "n\n")
            with contextlib.redirect_stdout(buf):
                nsc.main(["-n", host, "-p", port] + cmd)
            outputs.append(buf.getvalue())
        print(json.dumps(outputs))
        """;

    private static async Task<List<string>> RunPythonNscAsync(PyroUri ns)
    {
        var args = JsonSerializer.Serialize(NscCommands);
        var script = $"import sys; sys.argv = ['nsc', '{ns.Host}', '{ns.Port}', {JsonSerializer.Serialize(args)}]\n" + NscScript;
        var text = await PythonPeer.RunScriptAsync(script);
        return [.. JsonSerializer.Deserialize<string[]>(text)!.Select(o => Normalize(o, ns.Port!.Value))];
    }

    private static async Task<List<string>> RunDotNetNscAsync(PyroUri ns)
    {
        var outputs = new List<string>();
        for (int i = 0; i < NscCommands.Length; i++)
        {
            var output = new StringWriter();
            var error = new StringWriter();
            int code = await NscCommand.RunAsync(ns.Host, ns.Port, null, false, NscCommands[i], new StringReader(i % 2 == 1 ? "y\n" : "n\n"), output, error, null, default);
            Assert.True(code == 0, error.ToString());
            outputs.Add(Normalize(output.ToString(), ns.Port!.Value));
        }
        return outputs;
    }

    // The name server's port differs; metadata lists come in set order, so sort them; the .NET regex engine words
    // some errors differently (checked elsewhere).
    private static string Normalize(string output, int port)
        => Regex.Replace(output.Replace(":" + port, ":NSPORT", StringComparison.Ordinal).Replace("\r\n", "\n", StringComparison.Ordinal),
            @"metadata: \[(.*)\]", m => "metadata: [" + string.Join(", ", m.Groups[1].Value.Split(", ").Order(StringComparer.Ordinal)) + "]");

    [Fact]
    public async Task Nsc_tools_print_the_same_against_both_name_servers()
    {
        var (python1, pythonUri1) = await NamingPeers.StartPythonAsync("-n", "127.0.0.1", "-p", "0", "-x");
        await using var _1 = python1;
        var (python2, pythonUri2) = await NamingPeers.StartPythonAsync("-n", "127.0.0.1", "-p", "0", "-x");
        await using var _2 = python2;
        await using var ours1 = NamingPeers.StartDotNet();
        await using var ours2 = NamingPeers.StartDotNet();

        var reference = await RunPythonNscAsync(pythonUri1);               // Python's tool, Python's name server
        var pythonToolOurServer = await RunPythonNscAsync(ours1.Uri);
        var ourToolPythonServer = await RunDotNetNscAsync(pythonUri2);
        var ourToolOurServer = await RunDotNetNscAsync(ours2.Uri);

        Assert.Contains("Error: NamingError - name already registered: demo.one\n", reference);
        for (int i = 0; i < reference.Count; i++)
        {
            string label = string.Join(' ', NscCommands[i]);
            Assert.Equal((label, reference[i]), (label, pythonToolOurServer[i]));
            Assert.Equal((label, reference[i]), (label, ourToolPythonServer[i]));
            Assert.Equal((label, reference[i]), (label, ourToolOurServer[i]));
        }
    }

    [Fact]
    public async Task Nsc_usage_errors_and_exit_codes_match_python()
    {
        var output = new StringWriter();
        var error = new StringWriter();
        Assert.Equal(2, await NscCommand.RunAsync("127.0.0.1", 1, null, false, ["bogus"], TextReader.Null, output, error, null, default));
        Assert.EndsWith("error: invalid or missing command", error.ToString().Trim());
        Assert.Equal(2, await NscCommand.RunAsync("127.0.0.1", 1, null, false, [], TextReader.Null, output, error, null, default));

        // No name server: Python prints the error on stdout and exits 0.
        output = new StringWriter();
        Assert.Equal(0, await NscCommand.RunAsync("127.0.0.1", NamingPeers.FreeTcpPort(), null, false, ["ping"], TextReader.Null, output, error, null, default));
        Assert.Equal("Error: Failed to locate the nameserver\n", output.ToString().Replace("\r\n", "\n"));

        await using var ns = NamingPeers.StartDotNet();
        error = new StringWriter();
        Assert.Equal(1, await NscCommand.RunAsync(ns.Uri.Host, ns.Uri.Port, null, false, ["lookup"], TextReader.Null, new StringWriter(), error, null, default));
        Assert.Equal("requires one argument: name", error.ToString().Trim());
        output = new StringWriter();
        Assert.Equal(0, await NscCommand.RunAsync(ns.Uri.Host, ns.Uri.Port, null, true, ["removematching", "x"], TextReader.Null, output, error, null, default));
        Assert.Equal($"Locating name server...\nName server found: {ns.Uri}\nPotentially removing lots of items from the Name server. Are you sure (y/n)?Error: EOFError - EOF when reading a line\nDone.\n", output.ToString().Replace("\r\n", "\n"));
    }
}
