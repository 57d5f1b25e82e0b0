using TypedPyro.Interop.Tests.Support;

namespace TypedPyro.Interop.Tests;

/// <summary>Pyro's handshake example, with Python on either side.</summary>
public sealed class HandshakeInteropTests
{
    private const string Examples = "/usr/share/doc/pyro4/examples/handshake";

    [Fact]
    public async Task Dotnet_proxy_against_the_python_handshake_example_server()
    {
        await using var python = PythonPeer.Start(Path.Combine(Examples, "server.py"));
        var uri = await python.WaitForAsync(@"^(PYRO:\S+)");
        object? response = null;
        await using (var good = new PyroProxy(uri, new PyroProxyOptions { Handshake = "pancakes", ValidateHandshake = r => response = r }))
        {
            await good.InvokeAsync("ping");
        }
        Assert.Equal(new List<object?> { "how", "are", "you", "doing" }, response);
        await using var bad = new PyroProxy(uri, new PyroProxyOptions { Handshake = "waffles" });
        var e = await Assert.ThrowsAsync<CommunicationException>(() => bad.InvokeAsync("ping"));
        Assert.EndsWith("rejected: wrong secret code, connection refused", e.Message);
    }

    [Fact]
    public async Task Python_handshake_example_client_against_a_dotnet_daemon()
    {
        await using var daemon = new PyroDaemon(new PyroDaemonOptions { Host = "127.0.0.1" });
        daemon.ValidateHandshake = (_, data) => data as string == "pancakes"
            ? new List<object?> { "how", "are", "you", "doing" }
            : throw new ArgumentException("wrong secret code, connection refused");
        daemon.Start();
        string client = Path.Combine(Examples, "client.py");
        var ok = await PythonPeer.RunScriptAsync($"exec(open('{client}').read())", stdin: $"{daemon.LocationUri}\npancakes\n");
        Assert.Contains("Proxy received handshake response data:  ['how', 'are', 'you', 'doing']", ok);
        Assert.Contains("Connection ok!", ok);
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            PythonPeer.RunScriptAsync($"exec(open('{client}').read())", stdin: $"{daemon.LocationUri}\nwaffles\n"));
        Assert.Contains("rejected: wrong secret code, connection refused", refused.Message);
    }
}
