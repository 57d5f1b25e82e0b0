using System.Text.Json;
using TypedPyro.Interop.Tests.Support;

namespace TypedPyro.Interop.Tests;

/// <summary>The real Python Pyro4 proxy against <c>typedpyro echo</c>.</summary>
public sealed class PythonClientToDotNetEchoTests
{
    private const string ClientScript = """
        import sys, json, math, time, Pyro4, Pyro4.errors
        Pyro4.config.SERIALIZER = sys.argv[1]
        uri = sys.argv[2]
        out = {}
        with Pyro4.Proxy(uri) as p:
            p._pyroBind()
            out["methods"] = sorted(p._pyroMethods)
            out["oneway"] = sorted(p._pyroOneway)
            out["attrs"] = sorted(p._pyroAttrs)
            out["echo_str"] = p.echo("hello")
            out["echo_unicode"] = p.echo("h\u00e9llo \u2603 \U0001F600")
            out["echo_nested"] = p.echo({"a": [1, 2.5, None, True], "b": {"c": "d"}})
            out["echo_bigint"] = str(p.echo(2**70))
            out["echo_tuple_type"] = type(p.echo((1, 2))).__name__
            out["nan"] = math.isnan(p.nan())
            out["inf"] = p.inf() == float("inf")
            out["dunder"] = p.__dunder__()
            out["generator"] = list(p.generator())
            g = p.generator()
            out["first"] = next(g)
            g.close()
            out["after_close"] = p.echo("ok")
            try:
                p.error()
            except ValueError as e:
                out["error"] = [type(e).__name__, str(e), "".join(Pyro4.util.getPyroTraceback()) != ""]
            try:
                p.error_with_text()
            except ValueError as e:
                out["error_with_text"] = str(e)
            try:
                p._pyroInvoke("_private", (), {})
            except AttributeError as e:
                out["private"] = str(e)
            try:
                p._pyroInvoke("nope", (), {})
            except AttributeError as e:
                out["missing"] = str(e)
            try:
                p.echo(1, 2)
            except TypeError as e:
                out["typeerror"] = str(e)
            start = time.time()
            out["oneway_result"] = p.oneway_slow()
            out["oneway_seconds"] = time.time() - start
            out["after_oneway"] = p.echo("after")
            out["verbose_before"] = p.verbose
            p.verbose = True
            out["verbose_after"] = p.verbose
            p.verbose = False
            try:
                p.nope_attr
            except AttributeError as e:
                out["attr_missing"] = "no exposed attribute" in str(e)
        print(json.dumps(out))
        """;

    [Theory]
    [InlineData("serpent")]
    [InlineData("json")]
    public async Task Python_proxy_calls_the_dotnet_echo_server(string serializer)
    {
        await using var server = await DotNetEchoServer.StartAsync();
        var output = await PythonPeer.RunScriptAsync(ClientScript.Replace("sys.argv[1]", $"'{serializer}'").Replace("sys.argv[2]", $"'{server.Uri}'"));
        var r = JsonDocument.Parse(output).RootElement;

        Assert.Equal(["__dunder__", "echo", "error", "error_with_text", "generator", "inf", "nan", "oneway_echo", "oneway_slow", "shutdown", "slow"],
            r.GetProperty("methods").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["oneway_echo", "oneway_slow"], r.GetProperty("oneway").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["verbose"], r.GetProperty("attrs").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("hello", r.GetProperty("echo_str").GetString());
        Assert.Equal("h\u00e9llo \u2603 \U0001F600", r.GetProperty("echo_unicode").GetString());
        Assert.Equal("""{"a": [1, 2.5, null, true], "b": {"c": "d"}}""", JsonSerializer.Serialize(r.GetProperty("echo_nested")).Replace(",", ", ").Replace(":", ": "));
        Assert.Equal("1180591620717411303424", r.GetProperty("echo_bigint").GetString());
        Assert.Equal(serializer == "json" ? "list" : "tuple", r.GetProperty("echo_tuple_type").GetString());
        Assert.True(r.GetProperty("nan").GetBoolean());
        Assert.True(r.GetProperty("inf").GetBoolean());
        Assert.Equal("should be allowed (dunder)", r.GetProperty("dunder").GetString());
        Assert.Equal(["one", "two", "three"], r.GetProperty("generator").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("one", r.GetProperty("first").GetString());
        Assert.Equal("ok", r.GetProperty("after_close").GetString());
        Assert.Equal(["ValueError", "expected error from echoserver error() method"], r.GetProperty("error").EnumerateArray().Take(2).Select(e => e.GetString()));
        Assert.True(r.GetProperty("error")[2].GetBoolean());
        Assert.Equal("the message of the error", r.GetProperty("error_with_text").GetString());
        Assert.Equal("attempt to access private attribute '_private'", r.GetProperty("private").GetString());
        Assert.Equal("'EchoServer' object has no attribute 'nope'", r.GetProperty("missing").GetString());
        Assert.Equal("echo() takes 1 positional argument but 2 were given", r.GetProperty("typeerror").GetString());
        Assert.Equal(JsonValueKind.Null, r.GetProperty("oneway_result").ValueKind);
        Assert.True(r.GetProperty("oneway_seconds").GetDouble() < 2.0, "a oneway call must not wait for the 5 s method");
        Assert.Equal("after", r.GetProperty("after_oneway").GetString());
        Assert.False(r.GetProperty("verbose_before").GetBoolean());
        Assert.True(r.GetProperty("verbose_after").GetBoolean());
        Assert.True(r.GetProperty("attr_missing").GetBoolean());
    }
}
