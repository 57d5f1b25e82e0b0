using System.Net.Sockets;
using TypedPyro.Protocol;
using TypedPyro.Serialization;
using TypedPyro.Tests.Support;

namespace TypedPyro.Tests.Server.Pyro5;

/// <summary>
/// The client side of real Pyro5 conversations and Pyro5's raw probes, replayed at our daemon: each recorded reply
/// comes back, compared by header, annotations and value (correlation and stream ids aside, which are random;
/// tracebacks aside, which name Python's files; sets as sets, which Python orders by hash).
/// </summary>
public sealed class Pyro5DaemonReplayTests
{
    private static async Task<PyroDaemon> StartDaemon(bool compression = false)
    {
        var config = PyroConfig.Default.With(c =>
        {
            c.Compression = compression;
            c.SerializersAccepted = new HashSet<string> { "serpent", "json", "marshal", "msgpack" };
        });
        var daemon = new PyroDaemon(new PyroDaemonOptions { Host = "127.0.0.1", Config = config });
        daemon.Register(Pyro5EchoTwin.Create(), "test.echoserver");
        daemon.Start();
        await Task.CompletedTask;
        return daemon;
    }

    // Every conversation with the echo server; cap_nameserver_serpent talks to a name server (Naming.Pyro5NameServerTests), and in
    // cap_serializedblob_serpent Python's echo server sends back a class dict of its own message object.
    public static TheoryData<string> Conversations => Pyro5Vector.Theory("cap_", n => n is not ("cap_nameserver_serpent" or "cap_serializedblob_serpent"));

    [Theory]
    [MemberData(nameof(Conversations))]
    public async Task A_recorded_Pyro5_client_gets_the_recorded_replies(string name)
    {
        var vector = Pyro5Vector.Load(name);
        await using var daemon = await StartDaemon(compression: name.Contains("compression"));
        Assert.True(await Pyro5Replay.ConversationAsync(vector, daemon.LocationUri.Port!.Value) > 0);
    }

    public static TheoryData<string> Pyro5Probes => Pyro5Vector.Theory("probe_", n => n is not ("probe_pyro4_connect" or "probe_garbage_header"));

    [Theory]
    [MemberData(nameof(Pyro5Probes))]
    public async Task A_recorded_probe_gets_Pyro5s_answer(string name)
    {
        var vector = Pyro5Vector.Load(name);
        await using var daemon = await StartDaemon();
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", daemon.LocationUri.Port!.Value).WaitAsync(TimeSpan.FromSeconds(30));
        var stream = client.GetStream();
        await stream.WriteAsync(vector.Request);
        if (vector.ClosedWithoutReply)
        {
            Assert.Equal(0, await stream.ReadAsync(new byte[1]).AsTask().WaitAsync(TimeSpan.FromSeconds(30)));
            return;
        }
        var reply = await Pyro5Codec.ReadAsync(stream, MessageCodec.AnyType, MessageSecurity.None).AsTask().WaitAsync(TimeSpan.FromSeconds(30));
        var expected = await Pyro5Codec.ReadAsync(new MemoryStream(vector.Messages.Single().Bytes), MessageCodec.AnyType, MessageSecurity.None);
        Pyro5Replay.AssertSameReply(expected, reply, null, [], name);
        // Then the daemon closes, as Python's does after a CONNECTFAIL.
        Assert.Equal(0, await stream.ReadAsync(new byte[1]).AsTask().WaitAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task A_Pyro4_connect_on_the_same_port_is_served_as_Pyro4()
    {
        // The probe Pyro5's daemon refuses ("invalid protocol version: 48"): ours answers it in Pyro4.
        await using var daemon = await StartDaemon();
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", daemon.LocationUri.Port!.Value).WaitAsync(TimeSpan.FromSeconds(30));
        await client.GetStream().WriteAsync(Pyro5Vector.Load("probe_pyro4_connect").Request);
        var reply = await MessageCodec.ReadAsync(client.GetStream(), MessageCodec.AnyType, MessageSecurity.None).AsTask().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(MessageType.ConnectOk, reply.Type);
        Assert.Equal("hello", PyroSerializers.Serpent.Deserialize(reply.Payload.Span));
    }

    [Fact]
    public async Task Pyro4_and_Pyro5_proxies_share_one_daemon_port()
    {
        await using var daemon = await StartDaemon();
        var uri = $"PYRO:test.echoserver@127.0.0.1:{daemon.LocationUri.Port!.Value}";
        await using var pyro4 = new PyroProxy(uri, new PyroProxyOptions { Timeout = TimeSpan.FromSeconds(30) });
        await using var pyro5 = new PyroProxy(uri, new PyroProxyOptions { Protocol = 5, Timeout = TimeSpan.FromSeconds(30) });
        foreach (var serializer in new[] { SerializerId.Serpent, SerializerId.Json, SerializerId.Marshal, SerializerId.MsgPack })
        {
            await using var other = new PyroProxy(uri, new PyroProxyOptions { Protocol = 5, Serializer = serializer, Timeout = TimeSpan.FromSeconds(30) });
            Assert.Equal("via " + serializer, await other.InvokeAsync("echo", ["via " + serializer]));
        }
        var calls = Enumerable.Range(0, 20).Select(i => (i % 2 == 0 ? pyro4 : pyro5).InvokeAsync("echo", [(long)i])).ToList();
        Assert.Equal(Enumerable.Range(0, 20).Select(i => (object?)(long)i), await Task.WhenAll(calls));
        var e = await Assert.ThrowsAsync<ArgumentException>(() => pyro5.InvokeAsync("error_with_text"));
        Assert.Equal("the message of the error", e.Message);
        var items = new List<object?>();
        await foreach (var item in (PyroRemoteIterator)(await pyro5.InvokeAsync("generator"))!) items.Add(item);
        Assert.Equal(["one", "two", "three"], items);
        Assert.Equal(4, pyro4.Protocol);
        Assert.Equal(5, pyro5.Protocol);
    }

    [Fact]
    public async Task A_daemon_with_an_HMAC_key_refuses_Pyro5_clients()
    {
        await using var daemon = new PyroDaemon(new PyroDaemonOptions { Host = "127.0.0.1", HmacKey = "secret"u8.ToArray() });
        daemon.Register(Pyro5EchoTwin.Create(), "test.echoserver");
        daemon.Start();
        await using var pyro5 = new PyroProxy($"PYRO:test.echoserver@127.0.0.1:{daemon.LocationUri.Port!.Value}", new PyroProxyOptions { Protocol = 5, Timeout = TimeSpan.FromSeconds(30) });
        var e = await Assert.ThrowsAsync<CommunicationException>(() => pyro5.InvokeAsync("echo", ["x"]));
        Assert.Contains("HMAC", e.Message);
    }
}
