namespace TypedPyro.Tests.Client;

/// <summary>Small oneway requests are coalesced into fewer socket writes; none may be lost or reordered.</summary>
public sealed class OnewayCoalescingTests
{
    private sealed class Recorder
    {
        public readonly List<long> Seen = [];
        public TaskCompletionSource AllSeen = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public int Expected;

        public IPyroDispatcher Create() => new PyroObjectBuilder("Recorder")
            .Oneway("note", call =>
            {
                lock (Seen)
                {
                    Seen.Add((long)call.Args[0]!);
                    if (Seen.Count == Expected) AllSeen.TrySetResult();
                }
            })
            .Method("count", _ => { lock (Seen) return (long)Seen.Count; })
            .Build();
    }

    private static async Task<(PyroDaemon, PyroUri, Recorder)> StartAsync(int expected)
    {
        // Oneway calls run in arrival order (not on the thread pool), so the order seen is the order sent.
        var daemon = new PyroDaemon(new PyroDaemonOptions { Host = "127.0.0.1", Config = PyroConfig.Default.With(c => c.OnewayThreaded = false) });
        var recorder = new Recorder { Expected = expected };
        var uri = daemon.Register(recorder.Create(), "recorder");
        daemon.Start();
        await Task.Yield();
        return (daemon, uri, recorder);
    }

    [Fact]
    public async Task Oneway_calls_arrive_in_order_before_the_next_normal_call()
    {
        var (daemon, uri, recorder) = await StartAsync(5000);
        await using var _ = daemon;
        await using var proxy = new PyroProxy(uri);
        for (long i = 0; i < 5000; i++)
        {
            if (i % 2 == 0) await proxy.InvokeAsync("note", [i]);
            else proxy.Invoke("note", i); // the blocking path queues too
        }
        Assert.Equal(5000L, await proxy.InvokeAsync("count"));
        Assert.Equal(Enumerable.Range(0, 5000).Select(i => (long)i), recorder.Seen);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Oneway_calls_made_just_before_dispose_or_release_are_still_sent(bool dispose)
    {
        var (daemon, uri, recorder) = await StartAsync(300);
        await using var _ = daemon;
        var proxy = new PyroProxy(uri);
        for (long i = 0; i < 300; i++) await proxy.InvokeAsync("note", [i]);
        if (dispose) proxy.Dispose();
        else proxy.Release();
        await recorder.AllSeen.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(Enumerable.Range(0, 300).Select(i => (long)i), recorder.Seen);
        proxy.Dispose();
    }

    [Fact]
    public async Task A_lone_oneway_call_is_sent_without_a_call_after_it()
    {
        var (daemon, uri, recorder) = await StartAsync(1);
        await using var _ = daemon;
        await using var proxy = new PyroProxy(uri);
        await proxy.InvokeAsync("note", [42L]);
        await recorder.AllSeen.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal([42L], recorder.Seen);
    }

    [Fact]
    public async Task Concurrent_callers_see_every_oneway_call_they_made_before_their_normal_call()
    {
        // Oneway frames are written in the background, outside the proxy's gate, while callers go on queueing; a
        // normal call's frame must still follow every oneway frame its caller queued before it.
        var daemon = new PyroDaemon(new PyroDaemonOptions { Host = "127.0.0.1", Config = PyroConfig.Default.With(c => c.OnewayThreaded = false) });
        await using var _ = daemon;
        var counts = new long[4];
        var uri = daemon.Register(new PyroObjectBuilder("Counter")
            .Oneway("note", call => counts[(long)call.Args[0]!]++)
            .Method("seen", call => counts[(long)call.Args[0]!])
            .Build(), "counter");
        daemon.Start();
        await using var proxy = new PyroProxy(uri);
        var callers = Enumerable.Range(0, counts.Length).Select(caller => Task.Run(async () =>
        {
            long sent = 0;
            for (int round = 0; round < 40; round++)
            {
                for (int i = 0; i < 250; i++, sent++)
                {
                    if (i % 2 == 0) await proxy.InvokeAsync("note", [(long)caller]);
                    else proxy.Invoke("note", (long)caller);
                }
                Assert.Equal(sent, round % 2 == 0 ? await proxy.InvokeAsync("seen", [(long)caller]) : proxy.Invoke("seen", (long)caller));
            }
        })).ToArray();
        await Task.WhenAll(callers).WaitAsync(TimeSpan.FromSeconds(60));
        Assert.All(counts, count => Assert.Equal(40 * 250, count));
    }

    [Fact]
    public async Task Oneway_calls_to_a_daemon_that_went_away_fail_over_to_a_new_connection()
    {
        int port;
        using (var probe = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.InterNetwork, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp))
        {
            probe.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
            port = ((System.Net.IPEndPoint)probe.LocalEndPoint!).Port;
        }
        PyroDaemon Start(Recorder recorder)
        {
            var daemon = new PyroDaemon(new PyroDaemonOptions { Host = "127.0.0.1", Port = port, Config = PyroConfig.Default.With(c => c.OnewayThreaded = false) });
            daemon.Register(recorder.Create(), "recorder");
            daemon.Start();
            return daemon;
        }
        var first = new Recorder { Expected = 100 };
        var daemon = Start(first);
        await using var proxy = new PyroProxy($"PYRO:recorder@127.0.0.1:{port}", new PyroProxyOptions { Timeout = TimeSpan.FromSeconds(5) });
        for (long i = 0; i < 100; i++) await proxy.InvokeAsync("note", [i]);
        await first.AllSeen.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await daemon.DisposeAsync();

        // Frames already handed to the dead connection are lost, as in Python; once the proxy notices, a oneway
        // call fails like any call. Nothing hangs and nothing else is thrown.
        for (long i = 0; i < 20_000; i++)
        {
            try
            {
                await proxy.InvokeAsync("note", [i]);
            }
            catch (CommunicationException)
            {
            }
        }
        await Assert.ThrowsAnyAsync<CommunicationException>(() => proxy.InvokeAsync("count"));

        // A daemon back on the address: the proxy connects again, and what it sends now arrives in order.
        var second = new Recorder { Expected = 50 };
        await using var again = Start(second);
        for (long i = 0; i < 50; i++) await proxy.InvokeAsync("note", [i]);
        Assert.Equal(50L, await proxy.InvokeAsync("count"));
        Assert.Equal(Enumerable.Range(0, 50).Select(i => (long)i), second.Seen);
    }

    [Fact]
    public async Task Order_holds_while_a_slow_daemon_keeps_the_background_write_waiting()
    {
        // The daemon is slow at first, so the socket fills and background writes stay pending for a while: direct
        // writes (a full queue, normal calls) must wait for them instead of interleaving.
        var daemon = new PyroDaemon(new PyroDaemonOptions { Host = "127.0.0.1", Config = PyroConfig.Default.With(c => c.OnewayThreaded = false) });
        await using var _ = daemon;
        var next = new long[2];
        int calls = 0;
        var outOfOrder = new List<string>();
        var uri = daemon.Register(new PyroObjectBuilder("Slow")
            .Oneway("note", call =>
            {
                if (Interlocked.Increment(ref calls) < 300) Thread.Sleep(1);
                long caller = (long)call.Args[0]!, i = (long)call.Args[1]!;
                if (next[caller] != i) lock (outOfOrder) outOfOrder.Add($"caller {caller}: {i} where {next[caller]} was due");
                next[caller] = i + 1;
            })
            .Method("seen", call => next[(long)call.Args[0]!])
            .Build(), "slow");
        daemon.Start();
        await using var proxy = new PyroProxy(uri);
        string padding = new('x', 4096);
        var callers = Enumerable.Range(0, next.Length).Select(caller => Task.Run(async () =>
        {
            for (long i = 0; i < 1500; i++)
            {
                if (i % 2 == 0) await proxy.InvokeAsync("note", [(long)caller, i, padding]);
                else proxy.Invoke("note", (long)caller, i, padding);
                if (i % 500 == 499) Assert.Equal(i + 1, await proxy.InvokeAsync("seen", [(long)caller]));
            }
        })).ToArray();
        await Task.WhenAll(callers).WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Empty(outOfOrder);
        Assert.All(next, n => Assert.Equal(1500, n));
    }

    /// <summary>A connection whose asynchronous writes complete a moment late, as a busy socket's do.</summary>
    private sealed class LateWrites(Stream inner) : Stream
    {
        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            await Task.Delay(1, cancellationToken);
            await inner.WriteAsync(buffer, cancellationToken);
        }

        public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);

        public override void Write(ReadOnlySpan<byte> buffer) => inner.Write(buffer);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => inner.ReadAsync(buffer, cancellationToken);

        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

        public override void Flush() => inner.Flush();

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }

    [Fact]
    public async Task Order_holds_when_background_writes_complete_late()
    {
        // The background flush sends its frames outside the proxy's gate; a normal call written meanwhile must wait
        // for them (here every asynchronous write lands a moment late, so not waiting would put it first).
        var (daemon, _, recorder) = await StartAsync(2000);
        await using var _1 = daemon;
        var (client, server) = PyroConnectedPair.Create();
        _ = daemon.ServeConnectedAsync(server);
        await using var proxy = PyroProxy.ForConnectedStream("recorder", new LateWrites(client));
        for (long i = 0; i < 2000; i++)
        {
            if (i % 2 == 0) await proxy.InvokeAsync("note", [i]);
            else proxy.Invoke("note", i);
            if (i % 200 == 199) Assert.Equal(i + 1, i % 400 == 399 ? await proxy.InvokeAsync("count") : proxy.Invoke("count"));
        }
        await recorder.AllSeen.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(Enumerable.Range(0, 2000).Select(i => (long)i), recorder.Seen);
    }
}
