using System.Net;
using System.Net.Sockets;

namespace TypedPyro.Tests.Client;

/// <summary>Auto-reconnect, retries, NAT addresses and server-side timeouts.</summary>
public sealed class ReconnectTests
{
    private static int FreePort()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }

    private static PyroDaemon StartDaemon(int port, string reply)
    {
        var daemon = new PyroDaemon(new PyroDaemonOptions { Host = "127.0.0.1", Port = port });
        daemon.Register(new PyroObjectBuilder("Svc").Method("who", _ => reply).Build(), "svc");
        daemon.Start();
        return daemon;
    }

    [Fact]
    public async Task A_proxy_recovers_when_its_daemon_restarts_on_the_same_address()
    {
        int port = FreePort();
        var first = StartDaemon(port, "first");
        await using var proxy = new PyroProxy($"PYRO:svc@127.0.0.1:{port}", new PyroProxyOptions { Timeout = TimeSpan.FromSeconds(5) });
        Assert.Equal("first", await proxy.InvokeAsync("who"));
        await first.DisposeAsync();

        await Assert.ThrowsAnyAsync<CommunicationException>(() => proxy.InvokeAsync("who"));
        await using var second = StartDaemon(port, "second");
        Assert.Equal("second", await proxy.InvokeAsync("who"));
    }

    [Fact]
    public async Task Reconnect_retries_until_the_daemon_is_back()
    {
        int port = FreePort();
        await using var proxy = new PyroProxy($"PYRO:svc@127.0.0.1:{port}");
        var restart = Task.Run(async () =>
        {
            await Task.Delay(500);
            return StartDaemon(port, "back");
        });
        await proxy.ReconnectAsync(tries: 5);
        await using var daemon = await restart;
        Assert.Equal("back", await proxy.InvokeAsync("who"));

        await using var nowhere = new PyroProxy($"PYRO:svc@127.0.0.1:{FreePort()}");
        var e = await Assert.ThrowsAsync<ConnectionClosedException>(() => nowhere.ReconnectAsync(tries: 1));
        Assert.Equal("failed to reconnect", e.Message);
    }

    [Fact]
    public async Task Max_retries_repeats_a_call_after_a_dropped_connection()
    {
        int port = FreePort();
        var daemon = StartDaemon(port, "one");
        await using var proxy = new PyroProxy($"PYRO:svc@127.0.0.1:{port}") { MaxRetries = 1 };
        Assert.Equal("one", await proxy.InvokeAsync("who"));
        // Restart: the first attempt fails on the dead connection, the retry reconnects.
        await daemon.DisposeAsync();
        await using var again = StartDaemon(port, "two");
        Assert.Equal("two", await proxy.InvokeAsync("who"));
    }

    [Fact]
    public async Task Max_retries_repeats_a_blocking_call_after_a_dropped_connection()
    {
        int port = FreePort();
        var daemon = StartDaemon(port, "one");
        using var proxy = new PyroProxy($"PYRO:svc@127.0.0.1:{port}") { MaxRetries = 1 };
        Assert.Equal("one", proxy.Invoke("who"));
        await daemon.DisposeAsync();
        await using var again = StartDaemon(port, "two");
        Assert.Equal("two", proxy.Invoke("who"));
    }

    [Fact]
    public async Task Max_retries_repeats_typed_calls_after_a_dropped_connection()
    {
        int port = FreePort();
        var daemon = StartDaemon(port, "one");
        var uri = PyroUri.Parse($"PYRO:svc@127.0.0.1:{port}");
        var blocking = Pyro.Proxy<IWho>(uri);
        var async = Pyro.Proxy<IWhoAsync>(uri);
        using var blockingOwner = (IDisposable)blocking;
        using var asyncOwner = (IDisposable)async;
        ((IPyroProxy)blocking).Connection.MaxRetries = 1;
        ((IPyroProxy)async).Connection.MaxRetries = 1;
        Assert.Equal("one", blocking.Who());
        Assert.Equal("one", await async.WhoAsync());
        // Restart: each proxy's first attempt fails on its dead connection, the retry reconnects.
        await daemon.DisposeAsync();
        await using var again = StartDaemon(port, "two");
        Assert.Equal("two", blocking.Who());
        Assert.Equal("two", await async.WhoAsync());
    }

    [Fact]
    public async Task Max_retries_covers_attribute_access_raw_calls_and_batches()
    {
        // Python's proxy retries every call it makes (its _pyroInvoke), not only plain method calls.
        int port = FreePort();
        var assigned = new List<string>();
        PyroDaemon Start(int generation)
        {
            var daemon = new PyroDaemon(new PyroDaemonOptions { Host = "127.0.0.1", Port = port });
            daemon.Register(new PyroObjectBuilder("Svc")
                .Method("who", _ => generation.ToString())
                .Attribute("generation", () => generation.ToString(), value => { lock (assigned) assigned.Add($"{generation}={value}"); })
                .Build(), "svc");
            daemon.Start();
            return daemon;
        }

        var daemon = Start(0);
        await using var proxy = new PyroProxy($"PYRO:svc@127.0.0.1:{port}") { MaxRetries = 1 };
        var calls = new Func<Task<object?>>[]
        {
            () => proxy.GetAttributeAsync("generation"),
            async () => { await proxy.SetAttributeAsync("generation", "x"); return "set"; },
            async () => TypedPyro.Serialization.PyroSerializers.Serpent.Deserialize((await proxy.InvokeRawAsync("who"))!.Payload.Span),
            async () => (await proxy.CreateBatch().Add("who").ExecuteAsync()).Results[0],
        };
        var results = new List<object?>();
        for (int generation = 1; generation <= calls.Length; generation++)
        {
            await proxy.InvokeAsync("who");
            // Restart: the call's first attempt fails on the dead connection; only the retry reaches the new daemon.
            await daemon.DisposeAsync();
            daemon = Start(generation);
            results.Add(await calls[generation - 1]().WaitAsync(TimeSpan.FromSeconds(10)));
        }
        await daemon.DisposeAsync();
        Assert.Equal(["1", "set", "3", "4"], results);
        Assert.Equal(["2=x"], assigned);
    }

    [Fact]
    public async Task Max_retries_covers_a_generated_proxys_properties()
    {
        int port = FreePort();
        PyroDaemon Start(int total)
        {
            var daemon = new PyroDaemon(new PyroDaemonOptions { Host = "127.0.0.1", Port = port });
            daemon.Register<IBlockingCounter>(new BlockingCounter { Total = total }, "counter");
            daemon.Start();
            return daemon;
        }

        var daemon = Start(1);
        var counter = Pyro.Proxy<IBlockingCounter>(PyroUri.Parse($"PYRO:counter@127.0.0.1:{port}"));
        using var owner = (IDisposable)counter;
        ((IPyroProxy)counter).Connection.MaxRetries = 1;
        Assert.Equal(1, counter.Total);
        // Restart: each property access below starts on a dead connection, and only its retry reaches the new daemon.
        await daemon.DisposeAsync();
        daemon = Start(2);
        Assert.Equal(2, counter.Total);
        await daemon.DisposeAsync();
        daemon = Start(3);
        counter.Total = 30;
        Assert.Equal(30, counter.Total);
        await daemon.DisposeAsync();
    }

    [Fact]
    public async Task Nat_addresses_go_into_uris()
    {
        await using var daemon = new PyroDaemon(new PyroDaemonOptions { Host = "127.0.0.1", NatHost = "public.example", NatPort = 4444 });
        var uri = daemon.Register(new PyroObjectBuilder("Svc").Method("who", _ => "nat").Build(), "svc");
        Assert.Equal("PYRO:svc@public.example:4444", uri.ToString());
        Assert.Equal($"PYRO:svc@127.0.0.1:{daemon.BoundEndPoint!.Port}", daemon.UriFor("svc", nat: false).ToString());

        await using var natPortZero = new PyroDaemon(new PyroDaemonOptions { Host = "127.0.0.1", NatHost = "public.example", NatPort = 0 });
        Assert.Equal($"PYRO:x@public.example:{natPortZero.BoundEndPoint!.Port}", natPortZero.UriFor("x").ToString());

        // A client inside uses the internal URI; the NAT one is for the outside world.
        daemon.Start();
        await using var proxy = new PyroProxy(daemon.UriFor("svc", nat: false));
        Assert.Equal("nat", await proxy.InvokeAsync("who"));
    }

    [Fact]
    public async Task Server_commtimeout_disconnects_idle_clients()
    {
        var config = PyroConfig.Default.With(c => c.CommTimeout = TimeSpan.FromMilliseconds(300));
        await using var daemon = new PyroDaemon(new PyroDaemonOptions { Host = "127.0.0.1", Config = config });
        var disconnected = new TaskCompletionSource();
        daemon.ClientDisconnected += _ => disconnected.TrySetResult();
        var uri = daemon.Register(new PyroObjectBuilder("Svc").Method("who", _ => "x").Build(), "svc");
        daemon.Start();
        await using var proxy = new PyroProxy(uri, new PyroProxyOptions { Timeout = TimeSpan.FromSeconds(5) });
        await proxy.ConnectAsync();
        await disconnected.Task.WaitAsync(TimeSpan.FromSeconds(5));
        // The proxy notices on its next call and reconnects transparently (or fails once, as Python's does).
        object? result;
        try { result = await proxy.InvokeAsync("who"); }
        catch (CommunicationException) { result = await proxy.InvokeAsync("who"); }
        Assert.Equal("x", result);
    }
}

[Expose]
public interface IWho
{
    [PyroName("who")]
    string Who();
}

[Expose]
public interface IWhoAsync
{
    [PyroName("who")]
    Task<string> WhoAsync();
}
