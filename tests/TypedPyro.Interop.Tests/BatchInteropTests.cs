using TypedPyro.Interop.Tests.Support;

namespace TypedPyro.Interop.Tests;

/// <summary>Python's <c>Pyro4.batch</c> against the .NET echo server, and the .NET batch against Python's.</summary>
public sealed class BatchInteropTests(PythonEchoServerFixture python) : IClassFixture<PythonEchoServerFixture>
{
    [Fact]
    public async Task Python_batch_against_dotnet_echo()
    {
        await using var server = await DotNetEchoServer.StartAsync();
        var script = $$"""
            import Pyro4
            p = Pyro4.Proxy('{{server.Uri}}')
            b = Pyro4.batch(p)
            b.echo("a"); b.echo(2); b.error(); b.echo("never")
            out = []
            try:
                for r in b():
                    out.append(repr(r))
            except ValueError as e:
                out.append("ValueError:" + str(e))
            b2 = Pyro4.batch(p)
            b2.oneway_echo("x"); b2.echo("y")
            b2(oneway=True)
            out.append(p.echo("after"))
            print("|".join(out))
            """;
        var output = await PythonPeer.RunScriptAsync(script);
        Assert.Equal("'a'|2|ValueError:expected error from echoserver error() method|after", output.Trim());
    }

    [Fact]
    public async Task Dotnet_batch_against_python_echo()
    {
        await using var proxy = new PyroProxy(python.Uri);
        var results = await proxy.CreateBatch().Add("echo", ["one"]).Add("echo", [2L]).Add("error").Add("echo", ["never"]).ExecuteAsync();
        Assert.Equal(["one", 2L], results.Results);
        var error = Assert.IsType<ArgumentException>(results.Error);
        Assert.Equal("builtins.ValueError", error.GetRemoteException()!.RemoteTypeName);
        await proxy.CreateBatch().Add("oneway_echo", ["x"]).ExecuteOnewayAsync();
        Assert.Equal("ok", await proxy.InvokeAsync("echo", ["ok"]));
    }
}
