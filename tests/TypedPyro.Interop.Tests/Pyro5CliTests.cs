using TypedPyro.Cli.Commands;

namespace TypedPyro.Interop.Tests;

/// <summary>
/// <c>typedpyro call --protocol 5</c> against our daemon, which serves the echo object to Pyro4 and Pyro5 callers on
/// one port (the daemon's Pyro5 side is checked against Python Pyro5's recorded conversations in TypedPyro.Tests).
/// </summary>
public sealed class Pyro5CliTests : IAsyncLifetime
{
    private readonly PyroDaemon _daemon = new(new PyroDaemonOptions { Host = "127.0.0.1" });
    private string _uri = "";

    public Task InitializeAsync()
    {
        _uri = _daemon.Register(new EchoServerObject(false, TextWriter.Null).CreateDispatcher(), "test.echoserver").ToString();
        _daemon.Start();
        return Task.CompletedTask;
    }

    public Task DisposeAsync() => _daemon.DisposeAsync().AsTask();

    private async Task<(int Code, string Stdout, string Stderr)> Call(int protocol, string method, params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = await CallCommand.RunAsync(_uri, method, args, "serpent", false, 20, stdout, stderr, CancellationToken.None, protocol);
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Theory]
    [InlineData(4)]
    [InlineData(5)]
    public async Task Call_with_either_protocol_on_one_port(int protocol)
    {
        var (code, stdout, _) = await Call(protocol, "echo", "{'a': (1, 2.5, None, True)}");
        Assert.Equal(0, code);
        Assert.Equal("{'a': (1, 2.5, None, True)}", stdout.Trim());
        (code, stdout, _) = await Call(protocol, "generator");
        Assert.Equal(0, code);
        Assert.Equal("['one', 'two', 'three']", stdout.Trim());
        (code, _, var stderr) = await Call(protocol, "error");
        Assert.Equal(CallCommand.RemoteError, code);
        Assert.StartsWith("remote exception: builtins.ValueError: expected error from echoserver error() method", stderr);
    }
}
