using TypedPyro.Cli.Commands;

namespace TypedPyro.Interop.Tests.Support;

/// <summary>
/// Our own daemon serving <c>typedpyro echo</c>'s object as <c>test.echoserver</c> on loopback (the .NET twin of
/// Python's echo server, answering Pyro4 and Pyro5 callers on one port), shared by a test class.
/// </summary>
public sealed class DotNetEchoDaemonFixture : IAsyncLifetime
{
    private readonly PyroDaemon _daemon = new(new PyroDaemonOptions { Host = "127.0.0.1" });

    public string Uri { get; private set; } = "";

    public Task InitializeAsync()
    {
        Uri = _daemon.Register(new EchoServerObject(false, TextWriter.Null).CreateDispatcher(), "test.echoserver").ToString();
        _daemon.Start();
        return Task.CompletedTask;
    }

    public Task DisposeAsync() => _daemon.DisposeAsync().AsTask();
}
