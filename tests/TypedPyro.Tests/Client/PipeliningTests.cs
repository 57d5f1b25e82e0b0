namespace TypedPyro.Tests.Client;

/// <summary>Pipelined proxies: concurrent calls share one connection, replies matched in request order.</summary>
public sealed class PipeliningTests
{
    private static async Task<(PyroDaemon Daemon, PyroUri Uri)> StartAsync(string serverType = "thread")
    {
        var daemon = new PyroDaemon(new PyroDaemonOptions { Host = "127.0.0.1", Config = PyroConfig.Default.With(c => c.ServerType = serverType) });
        var uri = daemon.Register(new PyroObjectBuilder("Pipe")
            .Method("echo", call => call.Arg(0, "message"))
            .MethodAsync("delayed", async call =>
            {
                await Task.Delay(TimeSpan.FromMilliseconds((long)call.Args[1]!));
                return call.Args[0];
            })
            .Method("fail", call => throw new ArgumentException("bad " + call.Args[0]))
            .MethodAsync("slow", async _ =>
            {
                await Task.Delay(TimeSpan.FromSeconds(5));
                return "late";
            })
            .Build(), "pipe");
        daemon.Start();
        await Task.Yield();
        return (daemon, uri);
    }

    [Theory]
    [InlineData("thread")]
    [InlineData("multiplex")]
    public async Task Concurrent_calls_on_one_connection_each_get_their_own_reply(string serverType)
    {
        var (daemon, uri) = await StartAsync(serverType);
        await using var _ = daemon;
        await using var proxy = new PyroProxy(uri, new PyroProxyOptions { Pipelining = true });
        var calls = Enumerable.Range(0, 400).Select(i => Task.Run(async () =>
        {
            object? result = i % 7 == 0
                ? await proxy.InvokeAsync("delayed", [$"d{i}", (long)(i % 3)])
                : await proxy.InvokeAsync("echo", [$"m{i}"]);
            return (i, result);
        })).ToList();
        foreach (var (i, result) in await Task.WhenAll(calls)) Assert.Equal(i % 7 == 0 ? $"d{i}" : $"m{i}", result);
        Assert.Equal(1, daemon.ConnectionCount);
    }

    [Fact]
    public async Task Errors_and_pings_in_the_middle_do_not_shift_the_replies()
    {
        var (daemon, uri) = await StartAsync();
        await using var _ = daemon;
        await using var proxy = new PyroProxy(uri, new PyroProxyOptions { Pipelining = true });
        var tasks = new List<Task<object?>>();
        for (int i = 0; i < 50; i++)
        {
            int n = i;
            tasks.Add(n % 5 == 0 ? Task.Run(async () => { await proxy.PingAsync(); return (object?)"pong"; })
                : n % 5 == 1 ? Task.Run(() => proxy.InvokeAsync("fail", [n]))
                : Task.Run(() => proxy.InvokeAsync("echo", [n])));
        }
        for (int i = 0; i < tasks.Count; i++)
        {
            if (i % 5 == 1) Assert.Equal($"bad {i}", (await Assert.ThrowsAsync<ArgumentException>(() => tasks[i])).Message);
            else Assert.Equal(i % 5 == 0 ? "pong" : (object)(long)i, await tasks[i]);
        }
    }

    [Fact]
    public async Task A_timed_out_call_fails_the_calls_behind_it_and_the_proxy_reconnects()
    {
        var (daemon, uri) = await StartAsync();
        await using var _ = daemon;
        await using var proxy = new PyroProxy(uri, new PyroProxyOptions { Pipelining = true });
        Assert.Equal("warm", await proxy.InvokeAsync("echo", ["warm"]));
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        var slow = proxy.InvokeAsync("slow", cancellationToken: cancel.Token);
        var behind = proxy.InvokeAsync("echo", ["behind"]);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => slow);
        Assert.Equal("receiving: connection lost", (await Assert.ThrowsAsync<ConnectionClosedException>(() => behind)).Message);
        Assert.Equal("again", await proxy.InvokeAsync("echo", ["again"]));
    }

    [Fact]
    public async Task Typed_synchronous_calls_pipeline_too()
    {
        var (daemon, uri) = await StartAsync();
        await using var _ = daemon;
        await using var proxy = new PyroProxy(uri, new PyroProxyOptions { Pipelining = true });
        // Callers on threads of their own: blocked pool threads would starve the in-process daemon, not the proxy.
        var results = new object?[16 * 20];
        var threads = Enumerable.Range(0, 16).Select(t => new Thread(() =>
        {
            for (int i = t; i < results.Length; i += 16) results[i] = proxy.Invoke("echo", i);
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        Assert.Equal(Enumerable.Range(0, results.Length).Select(i => (object?)(long)i), results);
    }
}
