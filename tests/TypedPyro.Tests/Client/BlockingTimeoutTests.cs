using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using static TypedPyro.Tests.Client.BlockingConnectTests;

using TypedPyro.Tests.Support;

namespace TypedPyro.Tests.Client;

/// <summary>
/// A blocking call with a timeout keeps blocking socket I/O: the socket's own send and receive timeouts limit it, and a
/// timed connect is ended by closing the socket. Before, such a call went the async way and left the socket in
/// non-blocking mode for good.
/// </summary>
public sealed class BlockingTimeoutTests : IAsyncLifetime
{
    private readonly TestObjects _objects = new();
    private readonly TaskCompletionSource _held = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private PyroDaemon _daemon = null!;
    private PyroUri _uri = null!;
    private PyroUri _gateUri = null!;

    public Task InitializeAsync()
    {
        _daemon = new PyroDaemon(new PyroDaemonOptions { Host = "127.0.0.1" });
        _uri = _daemon.Register(_objects.Create(), "test.thing");
        // hold() answers only when the test lets it, and says when it has started.
        _gateUri = _daemon.Register(new PyroObjectBuilder("Gate")
            .MethodAsync("hold", async call =>
            {
                _held.TrySetResult();
                await _release.Task;
                return "released";
            })
            .Build(), "test.gate");
        _daemon.Start();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        _release.TrySetResult();
        await _daemon.DisposeAsync();
    }

    [Fact]
    public async Task Blocking_calls_with_a_timeout_keep_the_socket_blocking_and_give_it_the_timeout()
    {
        await using var proxy = new PyroProxy(_uri, new PyroProxyOptions { Timeout = TimeSpan.FromSeconds(20) });
        Assert.Equal("one", proxy.Invoke("echo", "one"));
        var socket = proxy.ConnectedSocket!;
        Assert.False(IsNonBlocking(socket));
        Assert.Equal(20_000, socket.ReceiveTimeout);
        Assert.Equal(20_000, socket.SendTimeout);

        // A changed timeout reaches the socket with the next call; none clears it.
        proxy.Timeout = TimeSpan.FromSeconds(7);
        Assert.Equal("two", proxy.Invoke("echo", "two"));
        Assert.Equal(7_000, socket.ReceiveTimeout);
        proxy.Timeout = Timeout.InfiniteTimeSpan;
        Assert.Equal("three", proxy.Invoke("echo", "three"));
        Assert.Equal(0, socket.ReceiveTimeout);
        Assert.False(IsNonBlocking(socket));
    }

    [Fact]
    public async Task A_unix_domain_socket_gets_the_timeout_too_and_stays_blocking()
    {
        string path = Path.Combine(Path.GetTempPath(), $"typedpyro-timeout-{Guid.NewGuid():N}.sock");
        await using var daemon = new PyroDaemon(new PyroDaemonOptions { UnixSocket = path });
        var uri = daemon.Register(_objects.Create(), "test.unix");
        daemon.Start();
        using var proxy = new PyroProxy(uri, new PyroProxyOptions { Timeout = TimeSpan.FromSeconds(20) });
        Assert.Equal("unix", proxy.Invoke("echo", "unix"));
        Assert.False(IsNonBlocking(proxy.ConnectedSocket!));
        Assert.Equal(20_000, proxy.ConnectedSocket!.ReceiveTimeout);

        proxy.Timeout = TimeSpan.FromMilliseconds(300);
        var e = Assert.Throws<PyroTimeoutException>(() => proxy.Invoke("slow"));
        Assert.IsType<IOException>(e.InnerException);
    }

    [Fact]
    public async Task A_blocking_call_that_times_out_drops_the_connection_and_the_next_one_reconnects_blocking()
    {
        // The first connect gets time for the daemon's cold start; the timeout under test is set after it.
        await using var proxy = new PyroProxy(_uri, new PyroProxyOptions { Timeout = TimeSpan.FromSeconds(20) });
        Assert.Equal("one", proxy.Invoke("echo", "one"));
        proxy.Timeout = TimeSpan.FromMilliseconds(300);
        var first = proxy.ConnectedSocket!;
        Assert.False(IsNonBlocking(first));

        var watch = Stopwatch.StartNew();
        var e = Assert.Throws<PyroTimeoutException>(() => proxy.Invoke("slow"));
        Assert.Equal("receiving: timeout", e.Message);
        // The socket's receive timeout expired (the async path would have cancelled a token instead).
        Assert.Equal(SocketError.TimedOut, Assert.IsType<SocketException>(Assert.IsType<IOException>(e.InnerException).InnerException).SocketErrorCode);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2.5), $"the call took {watch.Elapsed}, the method 3 s");
        Assert.False(proxy.IsConnected);

        proxy.Timeout = TimeSpan.FromSeconds(10); // the reconnect must not time out on a loaded machine
        Assert.Equal("two", proxy.Invoke("echo", "two"));
        Assert.NotSame(first, proxy.ConnectedSocket);
        Assert.False(IsNonBlocking(proxy.ConnectedSocket!));
    }

    [Fact]
    public async Task A_timed_out_blocking_call_is_retried_under_max_retries()
    {
        await using var proxy = new PyroProxy(_uri, new PyroProxyOptions { Timeout = TimeSpan.FromSeconds(20) });
        Assert.Equal("warm", proxy.Invoke("echo", "warm")); // the daemon's cold start is not under test
        proxy.Timeout = TimeSpan.FromMilliseconds(200);
        proxy.MaxRetries = 2;
        var watch = Stopwatch.StartNew();
        Assert.Throws<PyroTimeoutException>(() => proxy.Invoke("slow"));
        // Three attempts of 200 ms each, the retries each with a new connection; well under one run of the 3 s method.
        Assert.InRange(watch.Elapsed, TimeSpan.FromMilliseconds(550), TimeSpan.FromSeconds(2.9));
    }

    [Fact]
    public async Task A_pipelined_blocking_caller_waiting_for_its_reply_times_out_too()
    {
        await using var proxy = new PyroProxy(_uri, new PyroProxyOptions { Pipelining = true, Timeout = TimeSpan.FromSeconds(20) });
        Assert.Equal("one", proxy.Invoke("echo", "one"));
        proxy.Timeout = TimeSpan.FromMilliseconds(400);
        // Two blocking callers of the slow method: one reads the connection, the other waits to be handed its reply.
        var callers = Enumerable.Range(0, 2).Select(_ => Task.Factory.StartNew(() =>
        {
            var watch = Stopwatch.StartNew();
            var e = Assert.ThrowsAny<CommunicationException>(() => proxy.Invoke("slow"));
            return (e, watch.Elapsed);
        }, TaskCreationOptions.LongRunning)).ToArray();
        var results = await Task.WhenAll(callers).WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Contains(results, r => r.e is PyroTimeoutException);
        Assert.All(results, r => Assert.True(r.Elapsed < TimeSpan.FromSeconds(2.5), $"a caller took {r.Elapsed}"));

        proxy.Timeout = TimeSpan.FromSeconds(10);
        Assert.Equal("two", proxy.Invoke("echo", "two"));
        Assert.False(IsNonBlocking(proxy.ConnectedSocket!));
    }

    [Fact]
    public async Task A_pipelined_blocking_caller_times_out_while_another_reads_without_a_timeout()
    {
        await using var proxy = new PyroProxy(_gateUri, new PyroProxyOptions { Pipelining = true });
        var reader = Task.Factory.StartNew(() => Record.Exception(() => proxy.Invoke("hold")), TaskCreationOptions.LongRunning);
        await _held.Task.WaitAsync(TimeSpan.FromSeconds(20)); // the first caller's call runs: it reads, with no timeout

        proxy.Timeout = TimeSpan.FromMilliseconds(300);
        var watch = Stopwatch.StartNew();
        // The daemon answers this call only after the first, which waits for the test: this caller waits for the
        // reader to hand it its reply, and its own timeout ends the wait.
        var e = await Task.Factory.StartNew(() => Assert.Throws<PyroTimeoutException>(() => proxy.Invoke("hold")), TaskCreationOptions.LongRunning)
            .WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Null(e.InnerException);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"the waiting caller took {watch.Elapsed}");
        // Its reply can no longer be told apart from the next one's: the connection is dropped, failing the reader too.
        Assert.IsType<ConnectionClosedException>(await reader.WaitAsync(TimeSpan.FromSeconds(20)));
    }

    [Fact]
    public async Task On_a_stream_handed_in_a_blocking_call_with_a_timeout_takes_the_async_path()
    {
        var (server, client) = PyroConnectedPair.Create();
        var serving = _daemon.ServeConnectedAsync(server);
        await using var proxy = PyroProxy.ForConnectedStream("test.thing", client, new PyroProxyOptions { Timeout = TimeSpan.FromSeconds(20) });
        // The stream has no socket timeouts: the timeout is the async path's, and connecting does not deadlock on the gate.
        await Task.Run(proxy.Connect).WaitAsync(TimeSpan.FromSeconds(30));
        proxy.Timeout = TimeSpan.FromMilliseconds(300);
        var e = await Task.Run(() => Assert.Throws<PyroTimeoutException>(() => proxy.Invoke("slow"))).WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Null(e.InnerException); // a cancelled token, not a socket's timeout
        await proxy.DisposeAsync();
        client.Dispose(); // the proxy leaves a stream handed in to its owner
        await serving.WaitAsync(TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task A_blocking_connect_that_gets_no_answer_times_out()
    {
        // A listener whose accept queue is full: the kernel drops further connection requests, so a connect hangs.
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(0);
        var endPoint = (IPEndPoint)listener.LocalEndPoint!;
        var fillers = new List<Socket>();
        try
        {
            while (true)
            {
                var filler = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                fillers.Add(filler);
                var connecting = filler.ConnectAsync(endPoint);
                if (await Task.WhenAny(connecting, Task.Delay(500)) != connecting) break; // this one hangs: the queue is full
                Assert.True(fillers.Count < 64, "the accept queue never filled");
            }

            using var proxy = new PyroProxy($"PYRO:test.thing@127.0.0.1:{endPoint.Port}", new PyroProxyOptions { Timeout = TimeSpan.FromMilliseconds(300) });
            var watch = Stopwatch.StartNew();
            var e = Assert.Throws<PyroTimeoutException>(() => proxy.Invoke("echo", "x"));
            Assert.StartsWith("cannot connect to 127.0.0.1:", e.Message);
            Assert.InRange(watch.Elapsed, TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(5));
            Assert.False(proxy.IsConnected);
        }
        finally
        {
            foreach (var filler in fillers) filler.Dispose();
        }
    }
}
