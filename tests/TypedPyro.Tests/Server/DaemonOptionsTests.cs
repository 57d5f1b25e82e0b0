using TypedPyro.Serialization;
using System.Net.Sockets;
using System.Text;

using TypedPyro.Tests.Support;

namespace TypedPyro.Tests.Server;

/// <summary>HMAC, IPv6, Unix sockets, connection limits and shutdown of the .NET daemon.</summary>
public sealed class DaemonOptionsTests
{
    private static readonly byte[] Key = Encoding.UTF8.GetBytes("secret");

    private static async Task<(PyroDaemon Daemon, PyroUri Uri)> StartAsync(PyroDaemonOptions options)
    {
        var daemon = new PyroDaemon(options);
        var uri = daemon.Register(new TestObjects().Create(), "thing");
        daemon.Start();
        await Task.Yield();
        return (daemon, uri);
    }

    [Fact]
    public async Task A_host_name_is_resolved_to_bind_and_a_proxy_reaches_it_by_name()
    {
        var (daemon, uri) = await StartAsync(new PyroDaemonOptions { Host = "localhost" });
        await using var _ = daemon;
        Assert.True(System.Net.IPAddress.IsLoopback(daemon.BoundEndPoint!.Address));
        Assert.Equal("localhost", uri.Host);
        using var proxy = new PyroProxy(uri); // a blocking first call: the name is looked up with a blocking call too
        Assert.Equal("by name", proxy.Invoke("echo", "by name"));
    }

    [Fact]
    public async Task Hmac_keys_that_match_work()
    {
        var (daemon, uri) = await StartAsync(new PyroDaemonOptions { Host = "127.0.0.1", HmacKey = Key });
        await using var _ = daemon;
        await using var proxy = new PyroProxy(uri, new PyroProxyOptions { HmacKey = Key });
        Assert.Equal("signed", await proxy.InvokeAsync("echo", ["signed"]));
    }

    [Theory]
    [InlineData("serpent")]
    [InlineData("msgpack")]
    public async Task Bulk_payloads_sent_apart_from_their_header_arrive_signed_and_whole(string serializer)
    {
        // Payloads over 64 KiB go out as a header write plus the payload itself, both ways; the HMAC covers them.
        var (daemon, uri) = await StartAsync(new PyroDaemonOptions
        {
            Host = "127.0.0.1",
            HmacKey = Key,
            Config = PyroConfig.Default.With(c => c.SerializersAccepted.Add("msgpack")),
        });
        await using var _ = daemon;
        var id = PyroSerializers.ForName(serializer).Id;
        await using var proxy = new PyroProxy(uri, new PyroProxyOptions { HmacKey = Key, Serializer = id });
        foreach (int size in new[] { 65_535, 65_536, 3_000_000, 10 })
        {
            var data = new byte[size];
            new Random(size).NextBytes(data);
            Assert.Equal(data, PyroConvert.ToBytes(await proxy.InvokeAsync("echo", [data])));
        }
    }

    [Fact]
    public async Task Hmac_mismatch_and_one_sided_keys_are_refused()
    {
        var (daemon, uri) = await StartAsync(new PyroDaemonOptions { Host = "127.0.0.1", HmacKey = Key });
        await using var _ = daemon;
        await using (var wrong = new PyroProxy(uri, new PyroProxyOptions { HmacKey = "wrong"u8.ToArray() }))
        {
            var e = await Assert.ThrowsAsync<CommunicationException>(() => wrong.InvokeAsync("echo", ["x"]));
            Assert.Contains("message hmac mismatch", e.Message);
        }
        await using (var none = new PyroProxy(uri))
        {
            var e = await Assert.ThrowsAsync<CommunicationException>(() => none.InvokeAsync("echo", ["x"]));
            Assert.Contains("hmac key config not symmetric", e.Message);
        }
        // A keyed proxy against a keyless daemon: the daemon refuses the signed CONNECT.
        var (open, openUri) = await StartAsync(new PyroDaemonOptions { Host = "127.0.0.1" });
        await using var __ = open;
        await using var keyed = new PyroProxy(openUri, new PyroProxyOptions { HmacKey = Key });
        var refused = await Assert.ThrowsAsync<CommunicationException>(() => keyed.InvokeAsync("echo", ["x"]));
        Assert.Contains("hmac key config not symmetric", refused.Message);
        // The daemon is unharmed.
        await using var ok = new PyroProxy(uri, new PyroProxyOptions { HmacKey = Key });
        Assert.Equal(1L, await ok.InvokeAsync("echo", [1L]));
    }

    [Fact]
    public async Task Ipv6_loopback_with_bracketed_uri()
    {
        if (!Socket.OSSupportsIPv6) throw new InvalidOperationException("this machine has no IPv6 loopback");
        var (daemon, uri) = await StartAsync(new PyroDaemonOptions { Host = "::1" });
        await using var _ = daemon;
        Assert.Equal($"PYRO:thing@[::1]:{uri.Port}", uri.ToString());
        await using var proxy = new PyroProxy(uri.ToString());
        Assert.Equal("v6", await proxy.InvokeAsync("echo", ["v6"]));
    }

    [Fact]
    public async Task Unix_domain_socket()
    {
        var path = Path.Combine(Path.GetTempPath(), $"typedpyro-{Guid.NewGuid():N}.sock");
        var (daemon, uri) = await StartAsync(new PyroDaemonOptions { UnixSocket = path });
        await using (daemon)
        {
            Assert.Equal($"PYRO:thing@./u:{path}", uri.ToString());
            await using var proxy = new PyroProxy(uri.ToString());
            Assert.Equal("unix", await proxy.InvokeAsync("echo", ["unix"]));
        }
        Assert.False(File.Exists(path), "the socket file is removed when the daemon closes");
    }

    [Fact]
    public async Task Thread_pool_server_refuses_beyond_its_size_and_recovers()
    {
        var config = PyroConfig.Default.With(c => { c.ThreadPoolSize = 2; c.ServerType = "thread"; });
        var (daemon, uri) = await StartAsync(new PyroDaemonOptions { Host = "127.0.0.1", Config = config });
        await using var _ = daemon;
        await using var a = new PyroProxy(uri);
        await using var b = new PyroProxy(uri);
        await a.ConnectAsync();
        await b.ConnectAsync();
        await using var c = new PyroProxy(uri);
        var e = await Assert.ThrowsAsync<CommunicationException>(() => c.ConnectAsync());
        Assert.EndsWith("rejected: no free workers, increase server threadpool size", e.Message);
        a.Release();
        await Eventually.TrueAsync(() => daemon.ConnectionCount < 2);
        Assert.Equal("room now", await c.InvokeAsync("echo", ["room now"]));
    }

    [Fact]
    public async Task Multiplex_server_has_no_connection_limit()
    {
        var config = PyroConfig.Default.With(c => { c.ThreadPoolSize = 2; c.ServerType = "multiplex"; });
        var (daemon, uri) = await StartAsync(new PyroDaemonOptions { Host = "127.0.0.1", Config = config });
        await using var _ = daemon;
        var proxies = Enumerable.Range(0, 10).Select(_ => new PyroProxy(uri)).ToList();
        await Task.WhenAll(proxies.Select(p => p.ConnectAsync()));
        Assert.Equal(10, daemon.ConnectionCount);
        foreach (var p in proxies) p.Dispose();
    }

    [Fact]
    public async Task Shutdown_closes_client_connections_and_completes()
    {
        var (daemon, uri) = await StartAsync(new PyroDaemonOptions { Host = "127.0.0.1" });
        await using var proxy = new PyroProxy(uri, new PyroProxyOptions { Timeout = TimeSpan.FromSeconds(5) });
        Assert.Equal(1L, await proxy.InvokeAsync("echo", [1L]));
        await daemon.DisposeAsync();
        Assert.True(daemon.Completion.IsCompleted);
        await Assert.ThrowsAnyAsync<CommunicationException>(() => proxy.InvokeAsync("echo", [2L]));
    }

    [Fact]
    public async Task Disconnect_hook_runs_when_a_client_goes_away()
    {
        var (daemon, uri) = await StartAsync(new PyroDaemonOptions { Host = "127.0.0.1" });
        await using var _ = daemon;
        var disconnected = new TaskCompletionSource<PyroClientConnection>();
        daemon.ClientDisconnected += c => disconnected.TrySetResult(c);
        var proxy = new PyroProxy(uri);
        await proxy.ConnectAsync();
        proxy.Dispose();
        var client = await disconnected.Task.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.NotNull(client.RemoteEndPoint);
    }

    [Fact]
    public async Task Handshake_validator_can_answer_and_refuse()
    {
        var (daemon, uri) = await StartAsync(new PyroDaemonOptions { Host = "127.0.0.1" });
        await using var _ = daemon;
        daemon.ValidateHandshake = (client, data) => data as string == "let me in" ? "welcome" : throw new PyroSecurityException("go away");
        await using var good = new PyroProxy(uri, new PyroProxyOptions { Handshake = "let me in" });
        await good.ConnectAsync();
        Assert.Equal("welcome", good.HandshakeResponse);
        await using var bad = new PyroProxy(uri, new PyroProxyOptions { Handshake = "hi" });
        var e = await Assert.ThrowsAsync<CommunicationException>(() => bad.ConnectAsync());
        Assert.EndsWith("rejected: go away", e.Message);
        await using var picky = new PyroProxy(uri, new PyroProxyOptions { Handshake = "let me in", ValidateHandshake = r => throw new PyroSecurityException("not my server") });
        await Assert.ThrowsAsync<PyroSecurityException>(() => picky.ConnectAsync());
    }
}
