using TypedPyro.Cli.Commands;
using TypedPyro.Interop.Tests.Support;

namespace TypedPyro.Interop.Tests;

/// <summary>Typed batch calls through a generated proxy, against the .NET echo server and Python's.</summary>
public sealed class TypedBatchTests(PythonEchoServerFixture python) : IClassFixture<PythonEchoServerFixture>
{
    private static async Task RunBatchAgainst(string uri, bool pythonServer)
    {
        var echo = Pyro.Proxy<IEchoServer>(uri);
        try
        {
            Pyro.Batch(echo).Add(e => 42); // no remote call in the lambda: refused
            Assert.Fail("a lambda without a remote call must be refused");
        }
        catch (ArgumentException e)
        {
            Assert.Contains("exactly one remote call", e.Message);
        }

        var typed = Pyro.Batch(echo);
        var a = typed.Add(e => e.Echo("one"));
        var b = typed.Add(e => e.Echo(2L));
        // Python's daemon cannot serialize a generator result inside a batch (Pyro does not stream there); ours sends the items whole.
        var items = pythonServer ? null : typed.Add(e => e.Generator());
        var nothing = typed.Add(e => e.OnewayEcho("in a batch oneway markers are ignored"));
        var failing = typed.Add(e => e.Error());
        var never = typed.Add(e => e.Echo("never"));
        Assert.Throws<InvalidOperationException>(() => a.Value);
        await typed.ExecuteAsync();

        Assert.Equal("one", a.Value);
        Assert.Equal(2L, b.Value);
        if (items is not null) Assert.Equal(["one", "two", "three"], items.Value.ToList());
        Assert.Null(nothing.Value);
        var error = Assert.Throws<ArgumentException>(() => failing.Value);
        Assert.Equal("expected error from echoserver error() method", error.Message);
        Assert.Equal("builtins.ValueError", error.GetRemoteException()!.RemoteTypeName);
        Assert.IsType<InvalidOperationException>(never.Error);
        Assert.Equal("after", echo.Echo("after"));
        Pyro.Release(echo);
    }

    [Fact]
    public async Task Typed_batch_against_the_dotnet_echo_server()
    {
        await using var server = await DotNetEchoServer.StartAsync();
        await RunBatchAgainst(server.Uri, pythonServer: false);
    }

    [Fact]
    public Task Typed_batch_against_pythons_echo_server() => RunBatchAgainst(python.Uri, pythonServer: true);
}
