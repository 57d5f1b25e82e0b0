using System.Text;
using TypedPyro.Protocol;
using TypedPyro.Tests.Support;

namespace TypedPyro.Tests.Transport;

/// <summary>Calls over an already-connected pair of streams, with no handshake (Pyro's socketpair example).</summary>
public sealed class ConnectedPairTests
{
    [Fact]
    public async Task Proxy_and_daemon_talk_over_a_connected_pair()
    {
        await using var daemon = new PyroDaemon(new PyroDaemonOptions { Host = "127.0.0.1" });
        daemon.Register(new PyroObjectBuilder("Echo").Method("echo", call => call.Arg(0, "message")).Build(), "echo");
        var (client, server) = PyroConnectedPair.Create();
        var serving = daemon.ServeConnectedAsync(server);
        await using (var proxy = PyroProxy.ForConnectedStream("echo", client))
        {
            Assert.Equal("over connected socket", await proxy.InvokeAsync("echo", ["over connected socket"]));
            Assert.Equal(["echo"], proxy.Metadata!.Methods);
            Assert.Equal("PYRO:echo@<<connected-socket>>:0", proxy.Uri.ToString());
            proxy.Release();
            Assert.Equal(2L, await proxy.InvokeAsync("echo", [2L]));
        }
        client.Dispose();
        await serving.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task First_message_is_the_same_get_metadata_invoke_python_sends()
    {
        var expected = Vector.Load("cap_connected_socket_serpent").Decoded.GetProperty("messages")[0].GetProperty("hex").GetString();
        var (client, server) = PyroConnectedPair.Create();
        await using var proxy = PyroProxy.ForConnectedStream("echo", client);
        var call = proxy.ConnectAsync();
        var first = await MessageCodec.ReadAsync(server, MessageCodec.AnyType, MessageSecurity.None);
        Assert.Equal(expected, Convert.ToHexStringLower(MessageCodec.ToBytes(first, MessageSecurity.None)));
        server.Dispose();
        await Assert.ThrowsAnyAsync<Exception>(() => call);
    }
}
