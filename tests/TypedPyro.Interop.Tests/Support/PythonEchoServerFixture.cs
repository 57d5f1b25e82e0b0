namespace TypedPyro.Interop.Tests.Support;

/// <summary>One <c>python3 -m Pyro4.test.echoserver</c> shared by a test class.</summary>
public sealed class PythonEchoServerFixture : IAsyncLifetime
{
    private PythonPeer? _peer;

    public string Uri { get; private set; } = "";

    public async Task InitializeAsync()
    {
        _peer = PythonPeer.Start("-m", "Pyro4.test.echoserver", "-H", "127.0.0.1");
        Uri = await _peer.WaitForAsync(@"^echo uri: (\S+)");
    }

    public async Task DisposeAsync()
    {
        if (_peer is not null) await _peer.DisposeAsync();
    }
}
