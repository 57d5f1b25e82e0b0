using System.Text;
using System.Text.Json;
using TypedPyro.Interop.Tests.Support;
using TypedPyro.Serialization;
using TypedPyro.Tests.Support;

namespace TypedPyro.Interop.Tests;

/// <summary>
/// The "done when": every <c>ser_serpent_*</c> value that Python can echo survives a round trip through
/// <c>typedpyro call</c> to Python's echo server, and through a Python proxy to <c>typedpyro echo</c>.
/// </summary>
public sealed class SerpentVectorRoundTripTests(PythonEchoServerFixture python) : IClassFixture<PythonEchoServerFixture>
{
    private const string Header = "# serpent utf-8 python3.2\n";

    /// <summary>Vectors whose bytes Pyro4 itself can read back (kind serpent, with a loads_result).</summary>
    public static TheoryData<string> EchoableVectors() => new(EchoableNames());

    private static List<string> EchoableNames() => Vector.Names("ser_serpent_")
        .Where(name => Vector.Load(name) is var v && v.Kind == "serpent" && v.Decoded.TryGetProperty("loads_result", out _))
        .ToList();

    [Theory]
    [MemberData(nameof(EchoableVectors))]
    public async Task Value_survives_typedpyro_call_to_python_echo(string name)
    {
        var vector = Vector.Load(name);
        string literal = Encoding.UTF8.GetString(vector.Bytes);
        if (literal.StartsWith(Header, StringComparison.Ordinal)) literal = literal[Header.Length..];
        // An echo must give back what was sent, after Pyro's documented transformations: bytes travel as the
        // base64 dict (Python receives a dict), so the dict is what comes back.
        var expected = AsPyroSends(PyroSerializers.Serpent.Deserialize(Encoding.UTF8.GetBytes(literal)));

        var (code, stdout, stderr) = await DotNetClientToPythonEchoTests.Call(python.Uri, "echo", [literal]);
        Assert.True(code == 0, $"exit {code}: {stderr}");
        string printed = stdout.TrimEnd('\n');
        if (expected is double d && !double.IsFinite(d))
        {
            Assert.Equal(double.IsNaN(d) ? "nan" : d > 0 ? "inf" : "-inf", printed);
            return;
        }
        var actual = PyroSerializers.Serpent.Deserialize(Encoding.UTF8.GetBytes(printed));
        Assert.Equal(expected, actual, PyValueComparer.Instance);
        Assert.Equal(PythonRepr.Format(expected), printed);
    }

    private static object? AsPyroSends(object? value) => value is byte[] bytes
        ? new Dictionary<object, object?> { ["data"] = Convert.ToBase64String(bytes), ["encoding"] = "base64" }
        : value;

    private const string PythonEchoesEverything = """
        import sys, json, math, serpent, Pyro4, Pyro4.util
        uri, vectors = sys.argv[1], json.load(sys.stdin)
        ser = Pyro4.util.SerpentSerializer()
        def same(a, b):
            if isinstance(a, bytes): return isinstance(b, dict) and serpent.tobytes(b) == a  # Pyro sends bytes as a base64 dict
            if type(a) != type(b): return False
            if isinstance(a, BaseException): return a.args == b.args
            if isinstance(a, float): return (math.isnan(a) and math.isnan(b)) or a == b
            if isinstance(a, (list, tuple)): return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
            if isinstance(a, dict): return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
            return a == b
        checked, failures = [], []
        with Pyro4.Proxy(uri) as p:
            for name, hexdata in vectors:
                value = ser.deserializeData(bytes.fromhex(hexdata))
                result = p.echo(value)
                checked.append(name)
                if not same(value, result):
                    failures.append([name, repr(value), repr(result)])
        print(json.dumps({"checked": checked, "failures": failures}))
        """;

    [Fact]
    public async Task Every_value_survives_a_python_proxy_to_typedpyro_echo()
    {
        await using var server = await DotNetEchoServer.StartAsync();
        var names = EchoableNames();
        var input = JsonSerializer.Serialize(names.Select(n => new[] { n, Convert.ToHexStringLower(Vector.Load(n).Bytes) }));
        var output = await PythonPeer.RunScriptAsync(PythonEchoesEverything.Replace("sys.argv[1]", $"'{server.Uri}'"), stdin: input);
        var report = JsonDocument.Parse(output).RootElement;
        Assert.Equal(names, report.GetProperty("checked").EnumerateArray().Select(e => e.GetString()));
        Assert.True(report.GetProperty("failures").GetArrayLength() == 0, "values changed on the way: " + report.GetProperty("failures"));
    }
}
