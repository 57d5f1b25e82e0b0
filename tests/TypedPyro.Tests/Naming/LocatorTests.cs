using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using TypedPyro.Naming;

namespace TypedPyro.Tests.Naming;

/// <summary>Locating the name server (direct, NS_HOST, broadcast), the broadcast responder, and PYRONAME/PYROMETA proxies. Loopback only.</summary>
public sealed class LocatorTests
{
    private static NameServerHost StartHost(PyroConfig config, string host = "127.0.0.1")
    {
        var ns = NameServerHost.Create(new NameServerHostOptions { Host = host, Port = 0, BroadcastPort = 0, Config = config });
        ns.Start();
        return ns;
    }

    [Fact]
    public void The_responder_answers_only_GET_NSURI_and_replaces_INADDR_ANY()
    {
        var uri = new PyroUri(NameServer.ObjectId, "0.0.0.0", 9090);
        Assert.Null(NameServerBroadcastServer.ReplyFor("GET_NSURI\n"u8, IPAddress.Loopback, uri));
        Assert.Null(NameServerBroadcastServer.ReplyFor("get_nsuri"u8, IPAddress.Loopback, uri));
        Assert.Null(NameServerBroadcastServer.ReplyFor([], IPAddress.Loopback, uri));
        Assert.Equal("PYRO:Pyro.NameServer@127.0.0.1:9090", Encoding.Latin1.GetString(NameServerBroadcastServer.ReplyFor("GET_NSURI"u8, IPAddress.Loopback, uri)!));
        var fixedHost = new PyroUri(NameServer.ObjectId, "ns.example", 9090);
        Assert.Equal("PYRO:Pyro.NameServer@ns.example:9090", Encoding.Latin1.GetString(NameServerBroadcastServer.ReplyFor("GET_NSURI"u8, IPAddress.Loopback, fixedHost)!));
    }

    [Fact]
    public async Task A_name_server_on_all_interfaces_is_found_by_broadcast_and_survives_garbage()
    {
        var config = NamingTestSupport.LoopbackConfig();
        await using var ns = StartHost(config, host: "0.0.0.0");
        var responder = Assert.IsType<NameServerBroadcastServer>(ns.BroadcastServer);
        Assert.Equal($"0.0.0.0:{responder.Port}", responder.LocationString);

        using (var garbage = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp))
        {
            foreach (var datagram in new[] { "hello"u8.ToArray(), new byte[1000], "GET_NSURIX"u8.ToArray(), [] })
                garbage.SendTo(datagram, new IPEndPoint(IPAddress.Loopback, responder.Port));
        }

        var found = await NameServerLocator.BroadcastLookupAsync(responder.Port, ["127.255.255.255"], TimeSpan.FromSeconds(2));
        Assert.Equal($"PYRO:Pyro.NameServer@127.0.0.1:{ns.Daemon.BoundEndPoint!.Port}", found?.ToString());
        Assert.True(responder.DatagramsIgnored >= 3, $"ignored {responder.DatagramsIgnored}");

        // locateNS() without host: NS_HOST (closed port) fails, the broadcast finds it.
        var options = new PyroProxyOptions { Config = config.With(c => c.NsBcPort = responder.Port), Timeout = TimeSpan.FromSeconds(5) };
        await using var client = await NameServerLocator.LocateAsync(options: options);
        await client.PingAsync();
        Assert.Equal(1, await client.CountAsync());
    }

    [Fact]
    public async Task Locate_direct_and_through_NS_HOST()
    {
        var config = NamingTestSupport.LoopbackConfig(nsPort: 0);
        await using var ns = StartHost(config);
        int port = ns.Daemon.BoundEndPoint!.Port;
        var options = new PyroProxyOptions { Config = config.With(c => c.NsPort = port), Timeout = TimeSpan.FromSeconds(5) };

        await using (var direct = await NameServerLocator.LocateAsync("127.0.0.1", port, options: options))
        {
            Assert.True(direct.Proxy.IsConnected);
            Assert.Equal(ns.Uri, direct.Uri);
        }
        await using (var viaConfig = await NameServerLocator.LocateAsync(options: options))
        {
            Assert.True(viaConfig.Proxy.IsConnected);
        }
        var e = await Assert.ThrowsAsync<NamingException>(() => NameServerLocator.LocateAsync("127.0.0.1", NamingTestSupport.FreeTcpPort(), options: options));
        Assert.Equal("Failed to locate the nameserver", e.Message);
        Assert.IsAssignableFrom<PyroException>(e.InnerException);
    }

    [Fact]
    public async Task Locate_fails_with_pythons_error_when_nothing_answers()
    {
        var options = new PyroProxyOptions { Config = NamingTestSupport.LoopbackConfig(), Timeout = TimeSpan.FromSeconds(5) };
        var e = await Assert.ThrowsAsync<NamingException>(() => NameServerLocator.LocateAsync(broadcast: false, options: options));
        Assert.Equal("Failed to locate the nameserver", e.Message);
    }

    [Fact]
    public async Task A_pyroname_proxy_first_used_by_a_blocking_call_resolves_and_connects()
    {
        await using var ns = StartHost(NamingTestSupport.LoopbackConfig());
        await using var daemon = new PyroDaemon(new PyroDaemonOptions { Host = "127.0.0.1" });
        var uri = daemon.Register(new PyroObjectBuilder("Thing").Method("who", _ => "found").Build(), "thing");
        daemon.Start();
        ns.NameServer.Register("my.thing", uri);

        // The blocking connect path, the name server lookup included.
        await using var byName = new PyroProxy($"PYRONAME:my.thing@{ns.Uri.Location}");
        Assert.Equal("found", byName.Invoke("who"));
        Assert.Equal(uri, byName.ResolvedUri);
        Assert.False(Client.BlockingConnectTests.IsNonBlocking(byName.ConnectedSocket!));
    }

    [Fact]
    public async Task A_blocking_pyroname_call_asks_the_name_server_on_the_callers_own_thread()
    {
        await using var ns = StartHost(NamingTestSupport.LoopbackConfig());
        await using var daemon = new PyroDaemon(new PyroDaemonOptions { Host = "127.0.0.1" });
        var uri = daemon.Register(new PyroObjectBuilder("Thing").Method("who", _ => "found").Build(), "thing");
        daemon.Start();
        ns.NameServer.Register("my.thing", uri);

        // The lookup call's trace ends where its reply was read: on the caller's thread when the lookup blocked there,
        // on a thread-pool thread when it was an async call waited for. The correlation id picks out this test's lookup.
        var correlation = Guid.NewGuid();
        var lookupsEndedOn = new List<int>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == PyroTelemetry.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a =>
            {
                if (a.Kind == ActivityKind.Client && a.DisplayName == $"{NameServer.ObjectId}/lookup" && a.GetTagItem("pyro.correlation_id") as string == correlation.ToString())
                    lock (lookupsEndedOn) lookupsEndedOn.Add(Environment.CurrentManagedThreadId);
            },
        };
        ActivitySource.AddActivityListener(listener);

        await using var byName = new PyroProxy($"PYRONAME:my.thing@{ns.Uri.Location}");
        int caller = await Task.Factory.StartNew(() =>
        {
            using (PyroCorrelation.Begin(correlation)) Assert.Equal("found", byName.Invoke("who"));
            return Environment.CurrentManagedThreadId;
        }, TaskCreationOptions.LongRunning).WaitAsync(TimeSpan.FromSeconds(30));
        lock (lookupsEndedOn) Assert.Equal([caller], lookupsEndedOn);
    }

    [Fact]
    public async Task A_blocking_caller_locates_and_asks_the_name_server_with_blocking_calls()
    {
        var config = NamingTestSupport.LoopbackConfig(nsPort: 0);
        await using var ns = StartHost(config);
        int port = ns.Daemon.BoundEndPoint!.Port;
        var thing = new PyroUri("thing", "127.0.0.1", 4321);
        ns.NameServer.Register("my.thing", thing, metadata: ["kind:thing"]);
        var options = new PyroProxyOptions { Config = config.With(c => c.NsPort = port), Timeout = TimeSpan.FromSeconds(10) };

        using (var client = NameServerLocator.Locate("127.0.0.1", port, options: options))
        {
            Assert.True(client.Proxy.IsConnected);
            Assert.False(Client.BlockingConnectTests.IsNonBlocking(client.Proxy.ConnectedSocket!));
            Assert.Equal(thing, client.Lookup("my.thing"));
            Assert.Equal(new Dictionary<string, string> { ["my.thing"] = thing.ToString() }, client.List(["kind:thing"]));
            Assert.False(Client.BlockingConnectTests.IsNonBlocking(client.Proxy.ConnectedSocket!));
        }

        Assert.Equal(thing, NameServerLocator.Resolve(PyroUri.Parse($"PYRONAME:my.thing@127.0.0.1:{port}"), options));
        Assert.Equal(thing, NameServerLocator.Resolve(PyroUri.Parse($"PYROMETA:kind:thing@127.0.0.1:{port}"), options));
        Assert.Equal("unknown name: nobody", Assert.Throws<NamingException>(() => NameServerLocator.Resolve(PyroUri.Parse($"PYRONAME:nobody@127.0.0.1:{port}"), options)).Message);
        Assert.StartsWith("no registrations available with desired metadata properties {",
            Assert.Throws<NamingException>(() => NameServerLocator.Resolve(PyroUri.Parse($"PYROMETA:kind:thing,red@127.0.0.1:{port}"), options)).Message);
        var e = Assert.Throws<NamingException>(() => NameServerLocator.Locate("127.0.0.1", NamingTestSupport.FreeTcpPort(), options: options));
        Assert.Equal("Failed to locate the nameserver", e.Message);
    }

    [Fact]
    public async Task A_blocking_caller_finds_the_name_server_by_broadcast()
    {
        var config = NamingTestSupport.LoopbackConfig();
        await using var ns = StartHost(config, host: "0.0.0.0");
        var responder = Assert.IsType<NameServerBroadcastServer>(ns.BroadcastServer);
        // NS_HOST (a closed port) fails, the broadcast finds it; as Python, the client comes back unconnected.
        var options = new PyroProxyOptions { Config = config.With(c => c.NsBcPort = responder.Port), Timeout = TimeSpan.FromSeconds(5) };
        using var client = NameServerLocator.Locate(options: options);
        Assert.Equal($"PYRO:Pyro.NameServer@127.0.0.1:{ns.Daemon.BoundEndPoint!.Port}", client.Uri.ToString());
        Assert.Equal(ns.Uri, client.Lookup(NameServer.ObjectId));
        Assert.False(Client.BlockingConnectTests.IsNonBlocking(client.Proxy.ConnectedSocket!));
    }

    [Fact]
    public async Task Pyroname_and_pyrometa_proxies_resolve_and_resolve_again_on_reconnect()
    {
        await using var ns = StartHost(NamingTestSupport.LoopbackConfig());
        await using var daemon1 = new PyroDaemon(new PyroDaemonOptions { Host = "127.0.0.1" });
        await using var daemon2 = new PyroDaemon(new PyroDaemonOptions { Host = "127.0.0.1" });
        var first = daemon1.Register(new PyroObjectBuilder("Thing").Method("who", _ => "first").Build(), "thing");
        var second = daemon2.Register(new PyroObjectBuilder("Thing").Method("who", _ => "second").Build(), "thing");
        daemon1.Start();
        daemon2.Start();
        ns.NameServer.Register("my.thing", first, metadata: ["kind:thing", "blue"]);

        var location = ns.Uri.Location;
        await using var byName = new PyroProxy($"PYRONAME:my.thing@{location}", new PyroProxyOptions { Timeout = TimeSpan.FromSeconds(5) });
        Assert.Equal("first", await byName.InvokeAsync("who"));
        Assert.Equal(first, byName.ResolvedUri);

        ns.NameServer.Register("my.thing", second, metadata: ["kind:thing"]);
        Assert.Equal("first", await byName.InvokeAsync("who"));
        byName.Release();
        Assert.Equal("second", await byName.InvokeAsync("who"));

        await using var byMeta = new PyroProxy($"PYROMETA:kind:thing@{location}", new PyroProxyOptions { Timeout = TimeSpan.FromSeconds(5) });
        Assert.Equal("second", await byMeta.InvokeAsync("who"));

        await using var noMatch = new PyroProxy($"PYROMETA:kind:thing,red@{location}");
        var e = await Assert.ThrowsAsync<NamingException>(() => noMatch.InvokeAsync("who"));
        Assert.StartsWith("no registrations available with desired metadata properties {", e.Message);

        await using var unknown = new PyroProxy($"PYRONAME:nobody@{location}");
        Assert.Equal("unknown name: nobody", (await Assert.ThrowsAsync<NamingException>(() => unknown.InvokeAsync("who"))).Message);

        await using var noServer = new PyroProxy($"PYRONAME:x@127.0.0.1:{NamingTestSupport.FreeTcpPort()}");
        Assert.Equal("Failed to locate the nameserver", (await Assert.ThrowsAsync<NamingException>(() => noServer.InvokeAsync("who"))).Message);

        Assert.Equal(second, await NameServerLocator.ResolveAsync(PyroUri.Parse($"PYRONAME:my.thing@{location}")));
        Assert.Equal(first, await NameServerLocator.ResolveAsync(first));
    }

    [Fact]
    public async Task Nat_settings_put_the_external_address_in_the_registered_uri()
    {
        await using var ns = NameServerHost.Create(new NameServerHostOptions { Host = "127.0.0.1", Port = 0, NatHost = "ns.example.org", NatPort = 5555, Config = NamingTestSupport.LoopbackConfig() });
        ns.Start();
        Assert.Equal("PYRO:Pyro.NameServer@ns.example.org:5555", ns.Uri.ToString());
        Assert.Equal($"PYRO:Pyro.NameServer@127.0.0.1:{ns.Daemon.BoundEndPoint!.Port}", ns.InternalUri.ToString());
        Assert.Equal("PYRO:Pyro.NameServer@ns.example.org:5555", ns.NameServer.Lookup(NameServer.ObjectId).ToString());
    }

    [Fact]
    public async Task Autoclean_removes_unreachable_objects_only()
    {
        var config = NamingTestSupport.LoopbackConfig().With(c => c.NsAutoClean = TimeSpan.FromSeconds(3));
        using var ns = new NameServer();
        await using var daemon = new PyroDaemon(new PyroDaemonOptions { Host = "127.0.0.1" });
        ns.Register("alive", daemon.Register(new PyroObjectBuilder("X").Method("m", _ => null).Build(), "x"));
        ns.Register("dead", new PyroUri("x", "127.0.0.1", NamingTestSupport.FreeTcpPort()));
        ns.Register("byname", "PYRONAME:elsewhere");
        using var cleaner = new NameServerAutoCleaner(ns, config);
        await cleaner.CleanOnceAsync(default);
        Assert.Equal(3, ns.Count()); // unreachable, but not yet for 20 s
        Assert.Throws<ArgumentException>(() => NameServerHost.Create(new NameServerHostOptions { Config = config.With(c => c.NsAutoClean = TimeSpan.FromSeconds(1)) }));
    }
}
