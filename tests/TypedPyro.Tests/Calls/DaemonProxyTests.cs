using System.Net.Sockets;
using TypedPyro.Serialization;

using TypedPyro.Tests.Support;

namespace TypedPyro.Tests.Calls;

/// <summary>The untyped proxy against the .NET daemon on loopback, for both serializers.</summary>
public sealed class DaemonProxyTests : IAsyncLifetime
{
    private readonly TestObjects _objects = new();
    private PyroDaemon _daemon = null!;
    private PyroUri _uri = null!;

    public Task InitializeAsync()
    {
        _daemon = new PyroDaemon(new PyroDaemonOptions { Host = "127.0.0.1" });
        _uri = _daemon.Register(_objects.Create(), "test.thing");
        _daemon.Start();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _daemon.DisposeAsync();

    private PyroProxy Proxy(SerializerId serializer = SerializerId.Serpent, TimeSpan? timeout = null)
        => new(_uri, new PyroProxyOptions { Serializer = serializer, Timeout = timeout ?? TimeSpan.FromSeconds(10) });

    public static TheoryData<SerializerId> Serializers => new() { SerializerId.Serpent, SerializerId.Json };

    [Theory]
    [MemberData(nameof(Serializers))]
    public async Task Values_round_trip(SerializerId serializer)
    {
        await using var proxy = Proxy(serializer);
        Assert.Equal("hello", await proxy.InvokeAsync("echo", ["hello"]));
        Assert.Equal(42L, await proxy.InvokeAsync("echo", [42L]));
        Assert.Equal(2.5, await proxy.InvokeAsync("echo", [2.5]));
        Assert.Null(await proxy.InvokeAsync("echo", [null]));
        var nested = new Dictionary<object, object?> { ["a"] = new List<object?> { 1L, "two", 3.0, true } };
        Assert.Equal(nested, await proxy.InvokeAsync("echo", [nested]), PyValueComparer.Instance);
        Assert.True(double.IsNaN((double)(await proxy.InvokeAsync("echo", [double.NaN]))!));
        Assert.Equal(double.PositiveInfinity, await proxy.InvokeAsync("echo", [double.PositiveInfinity]));
    }

    [Fact]
    public async Task Keyword_and_default_arguments_bind_like_python()
    {
        await using var proxy = Proxy();
        Assert.Equal(13L, await proxy.InvokeAsync("add", [3L]));
        Assert.Equal(5L, await proxy.InvokeAsync("add", [], new Dictionary<string, object?> { ["a"] = 2L, ["b"] = 3L }));
        var tooMany = await Assert.ThrowsAsync<ArgumentTypeException>(() => proxy.InvokeAsync("add", [1L, 2L, 3L]));
        Assert.Equal("add() takes 2 positional arguments but 3 were given", tooMany.Message);
        Assert.Equal("builtins.TypeError", tooMany.GetRemoteException()!.RemoteTypeName);
        var unknown = await Assert.ThrowsAsync<ArgumentTypeException>(() => proxy.InvokeAsync("add", [1L], new Dictionary<string, object?> { ["c"] = 1L }));
        Assert.Equal("add() got an unexpected keyword argument 'c'", unknown.Message);
    }

    [Theory]
    [MemberData(nameof(Serializers))]
    public async Task Exceptions_arrive_mapped_with_remote_details(SerializerId serializer)
    {
        await using var proxy = Proxy(serializer);
        var e = await Assert.ThrowsAsync<ArgumentException>(() => proxy.InvokeAsync("fail"));
        Assert.Equal("bad value", e.Message);
        var remote = e.GetRemoteException()!;
        Assert.Equal("builtins.ValueError", remote.RemoteTypeName);
        Assert.Equal(["bad value"], remote.Args);
        Assert.Contains("ValueError: bad value", remote.RemoteTraceback);
        Assert.Equal("System.ArgumentException", remote.Attributes[PyroExceptionMapping.DotNetTypeAttribute]);
        await Assert.ThrowsAsync<KeyNotFoundException>(() => proxy.InvokeAsync("missing_key"));
        // The connection survives remote exceptions.
        Assert.Equal("still here", await proxy.InvokeAsync("echo", ["still here"]));
    }

    [Fact]
    public async Task Metadata_comes_with_the_handshake()
    {
        await using var proxy = Proxy();
        await proxy.ConnectAsync();
        Assert.Equal("hello", proxy.HandshakeResponse);
        Assert.Contains("echo", proxy.Metadata!.Methods);
        Assert.Contains("__dunder__", proxy.Metadata.Methods);
        Assert.Equal(["notify"], proxy.Metadata.Oneway);
        Assert.Equal(["readonly", "value"], proxy.Metadata.Attributes.Order());
    }

    [Fact]
    public async Task Private_and_missing_members_are_refused_as_pyro_refuses_them()
    {
        await using var proxy = Proxy();
        // The proxy refuses locally when the metadata lacks the name...
        var local = await Assert.ThrowsAsync<MissingMemberException>(() => proxy.InvokeAsync("nope"));
        Assert.Contains("has no exposed attribute or method 'nope'", local.Message);
        // ...and the daemon refuses on its own when a client skips that check (InvokeOneway bypasses nothing, so use the daemon object).
        await using var daemonProxy = new PyroProxy(_daemon.LocationUri);
        Assert.Equal("dunder ok", await proxy.InvokeAsync("__dunder__"));
    }

    [Fact]
    public async Task The_metadata_check_a_proxy_remembers_is_for_that_method_only()
    {
        await using var proxy = Proxy();
        Assert.Equal("a", await proxy.InvokeAsync("echo", ["a"])); // remembered: echo is exposed, not oneway
        await Assert.ThrowsAsync<MissingMemberException>(() => proxy.InvokeAsync("nope"));
        Assert.Equal("b", await proxy.InvokeAsync("echo", ["b"]));
        // A oneway method after a remembered two-way one runs...
        Assert.Null(await proxy.InvokeAsync("notify", ["remembered?"]));
        Assert.Equal("remembered?", await _objects.OnewayReceived.Task.WaitAsync(TimeSpan.FromSeconds(5)));
        // ...and the two-way one after it (remembered as oneway, it would return null), by an equal name that is
        // another string, still gets its reply.
        Assert.Equal("c", await proxy.InvokeAsync(new string("echo".AsSpan()), ["c"]));
        await Assert.ThrowsAsync<MissingMemberException>(() => proxy.InvokeAsync(new string("nope".AsSpan())));
    }

    [Fact]
    public async Task Oneway_calls_return_at_once_and_run()
    {
        await using var proxy = Proxy();
        await proxy.InvokeAsync("notify", ["ping!"]);
        Assert.Equal("ping!", await _objects.OnewayReceived.Task.WaitAsync(TimeSpan.FromSeconds(5)));
        await proxy.InvokeOnewayAsync("echo", ["ignored"]);
        Assert.Equal("after", await proxy.InvokeAsync("echo", ["after"]));
    }

    [Theory]
    [MemberData(nameof(Serializers))]
    public async Task Remote_attributes_read_and_write(SerializerId serializer)
    {
        await using var proxy = Proxy(serializer);
        await proxy.SetAttributeAsync("value", "changed");
        Assert.Equal("changed", await proxy.GetAttributeAsync("value"));
        Assert.Equal("fixed", await proxy.GetAttributeAsync("readonly"));
        await Assert.ThrowsAsync<MissingMemberException>(() => proxy.SetAttributeAsync("readonly", 1L));
        await Assert.ThrowsAsync<MissingMemberException>(() => proxy.GetAttributeAsync("echo"));
    }

    [Fact]
    public async Task Daemon_object_answers_like_pythons()
    {
        await using var proxy = new PyroProxy(_daemon.LocationUri);
        var ids = Assert.IsType<List<object?>>(await proxy.InvokeAsync("registered"));
        Assert.Equal(["Pyro.Daemon", "test.thing"], ids.Cast<string>().Order());
        Assert.Null(await proxy.InvokeAsync("ping"));
        var meta = PyroObjectMetadata.FromWireValue(await proxy.InvokeAsync("get_metadata", ["test.thing"]));
        Assert.Contains("add", meta.Methods);
        var unknown = await Assert.ThrowsAsync<DaemonException>(() => proxy.InvokeAsync("get_metadata", ["nobody"]));
        Assert.Equal("unknown object", unknown.Message);
    }

    [Fact]
    public async Task Unknown_object_is_refused_at_connect()
    {
        await using var proxy = new PyroProxy(_daemon.UriFor("no.such.object"));
        var e = await Assert.ThrowsAsync<CommunicationException>(() => proxy.InvokeAsync("echo", ["x"]));
        Assert.EndsWith("rejected: unknown object", e.Message);
    }

    [Fact]
    public async Task Timeout_drops_the_connection_and_the_next_call_reconnects()
    {
        await using var proxy = Proxy(timeout: TimeSpan.FromMilliseconds(300));
        var e = await Assert.ThrowsAsync<PyroTimeoutException>(() => proxy.InvokeAsync("slow"));
        Assert.Equal("receiving: timeout", e.Message);
        Assert.False(proxy.IsConnected);
        // A generous timeout for the reconnect: 300 ms for connect, handshake and call is tight on a loaded machine.
        proxy.Timeout = TimeSpan.FromSeconds(10);
        Assert.Equal("again", await proxy.InvokeAsync("echo", ["again"]));
        Assert.True(proxy.IsConnected);
    }

    [Fact]
    public async Task Release_closes_and_next_call_reconnects()
    {
        await using var proxy = Proxy();
        Assert.Equal(1L, await proxy.InvokeAsync("echo", [1L]));
        proxy.Release();
        Assert.False(proxy.IsConnected);
        Assert.Equal(2L, await proxy.InvokeAsync("echo", [2L]));
    }

    [Fact]
    public async Task One_proxy_is_safe_from_many_threads()
    {
        await using var proxy = Proxy();
        var results = await Task.WhenAll(Enumerable.Range(0, 200).Select(i => Task.Run(() => proxy.InvokeAsync("echo", [(long)i]))));
        Assert.Equal(Enumerable.Range(0, 200).Select(i => (object?)(long)i), results);
    }

    [Fact]
    public async Task Many_connections_at_once()
    {
        var proxies = Enumerable.Range(0, 30).Select(_ => Proxy()).ToList();
        try
        {
            var results = await Task.WhenAll(proxies.Select((p, i) => p.InvokeAsync("echo", [(long)i])));
            Assert.Equal(Enumerable.Range(0, 30).Select(i => (object?)(long)i), results);
            Assert.Equal(30, _daemon.ConnectionCount);
        }
        finally
        {
            foreach (var p in proxies) await p.DisposeAsync();
        }
    }

    [Fact]
    public async Task Protocol_ping_is_answered()
    {
        await using var proxy = Proxy();
        await proxy.PingAsync();
        Assert.Equal("pong?", await proxy.InvokeAsync("echo", ["pong?"]));
    }

    [Fact]
    public async Task Correlation_id_comes_from_the_request_or_is_made()
    {
        await using var proxy = Proxy();
        var first = Guid.Parse((string)(await proxy.InvokeAsync("correlation"))!);
        var second = Guid.Parse((string)(await proxy.InvokeAsync("correlation"))!);
        Assert.NotEqual(first, second);
        Assert.NotEqual(Guid.Empty, first);
    }

    [Fact]
    public async Task Garbage_on_a_connection_does_not_hurt_the_daemon()
    {
        using (var raw = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            await raw.ConnectAsync(_daemon.BoundEndPoint!);
            await raw.SendAsync("GET / HTTP/1.0\r\n\r\n!!!!!!"u8.ToArray());
            var buffer = new byte[1024];
            int n = await raw.ReceiveAsync(buffer);
            Assert.True(n >= 24); // a CONNECTFAIL, then the daemon closes
            Assert.Equal(3, buffer[7]);
        }
        await using var proxy = Proxy();
        Assert.Equal("fine", await proxy.InvokeAsync("echo", ["fine"]));
    }
}
