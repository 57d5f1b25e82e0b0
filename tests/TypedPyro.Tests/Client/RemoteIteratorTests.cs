namespace TypedPyro.Tests.Client;

/// <summary>Remote iterators (Pyro item streaming) between the .NET proxy and daemon.</summary>
public sealed class RemoteIteratorTests
{
    private static int _disposed;

    private static IEnumerable<object?> Count(long n)
    {
        try
        {
            for (long i = 0; i < n; i++) yield return i;
        }
        finally
        {
            Interlocked.Increment(ref _disposed);
        }
    }

    private static async IAsyncEnumerable<object?> CountAsync(long n)
    {
        for (long i = 0; i < n; i++)
        {
            await Task.Yield();
            yield return i;
        }
    }

    private static (PyroDaemon, PyroUri) Start(Action<PyroConfig>? configure = null)
    {
        var daemon = new PyroDaemon(new PyroDaemonOptions { Host = "127.0.0.1", Config = PyroConfig.Default.With(c => configure?.Invoke(c)) });
        var uri = daemon.Register(new PyroObjectBuilder("Counter")
            .Method("count", call => Count((long)call.Arg(0, "n")!))
            .Method("count_async", call => CountAsync((long)call.Arg(0, "n")!))
            .Method("list", call => new List<object?> { 1L, 2L })
            .Method("boom", call => Boom())
            .Build(), "counter");
        daemon.Start();
        return (daemon, uri);
    }

    private static IEnumerable<object?> Boom()
    {
        yield return "first";
        throw new InvalidOperationException("generator failed");
    }

    [Fact]
    public async Task Iterators_stream_and_lists_do_not()
    {
        var (daemon, uri) = Start();
        await using var _ = daemon;
        await using var proxy = new PyroProxy(uri);
        Assert.Equal(Enumerable.Range(0, 5).Select(i => (object?)(long)i), Assert.IsType<PyroRemoteIterator>(await proxy.InvokeAsync("count", [5L])).ToBlockingEnumerable());
        var items = new List<object?>();
        await foreach (var item in Assert.IsType<PyroRemoteIterator>(await proxy.InvokeAsync("count_async", [3L]))) items.Add(item);
        Assert.Equal([0L, 1L, 2L], items);
        Assert.IsType<List<object?>>(await proxy.InvokeAsync("list"));
        Assert.Equal(0, daemon.Streams.Count);
    }

    [Fact]
    public async Task Blocking_enumeration_keeps_a_blocking_socket_blocking_and_async_enumeration_works_after_it()
    {
        var (daemon, uri) = Start();
        await using var _ = daemon;
        await using var proxy = new PyroProxy(uri);
        var blocking = Assert.IsType<PyroRemoteIterator>(proxy.Invoke("count", 3L));
        Assert.Equal([0L, 1L, 2L], blocking.ToBlockingEnumerable());
        Assert.False(BlockingConnectTests.IsNonBlocking(proxy.ConnectedSocket!));
        Assert.Throws<InvalidOperationException>(() => blocking.ToBlockingEnumerable().ToList()); // once only

        var items = new List<object?>();
        await foreach (var item in Assert.IsType<PyroRemoteIterator>(proxy.Invoke("count", 2L))) items.Add(item);
        Assert.Equal([0L, 1L], items);
        Assert.Equal(0, daemon.Streams.Count);
    }

    [Fact]
    public async Task Stopping_early_closes_the_stream_on_the_daemon()
    {
        var (daemon, uri) = Start();
        await using var _ = daemon;
        await using var proxy = new PyroProxy(uri);
        int disposedBefore = Volatile.Read(ref _disposed);
        foreach (var item in Assert.IsType<PyroRemoteIterator>(await proxy.InvokeAsync("count", [1000L])).ToBlockingEnumerable())
        {
            if ((long)item! == 2) break;
        }
        // close_stream is oneway: give the daemon a moment, then the stream is gone and the connection still works.
        for (int i = 0; i < 100 && daemon.Streams.Count > 0; i++) await Task.Delay(20);
        Assert.Equal(0, daemon.Streams.Count);
        Assert.Equal(0L, Assert.IsType<PyroRemoteIterator>(await proxy.InvokeAsync("count", [1L])).ToBlockingEnumerable().Single());
        Assert.True(Volatile.Read(ref _disposed) > disposedBefore, "the server-side enumerator was disposed");
    }

    [Fact]
    public async Task A_failing_generator_raises_at_the_item_and_ends_the_stream()
    {
        var (daemon, uri) = Start();
        await using var _ = daemon;
        await using var proxy = new PyroProxy(uri);
        using var e = Assert.IsType<PyroRemoteIterator>(await proxy.InvokeAsync("boom")).ToBlockingEnumerable().GetEnumerator();
        Assert.True(e.MoveNext());
        Assert.Equal("first", e.Current);
        var error = Assert.Throws<InvalidOperationException>(() => e.MoveNext());
        Assert.Equal("generator failed", error.Message);
        Assert.Equal(0, daemon.Streams.Count);
    }

    [Fact]
    public async Task Unknown_stream_id_is_terminated()
    {
        var (daemon, _) = Start();
        await using var __ = daemon;
        await using var proxy = new PyroProxy(daemon.LocationUri);
        var e = await Assert.ThrowsAsync<PyroException>(() => proxy.InvokeAsync("get_next_stream_item", ["no-such-stream"]));
        Assert.Equal("item stream terminated", e.Message);
    }

    [Fact]
    public async Task Streams_end_with_the_connection_when_linger_is_zero()
    {
        var (daemon, uri) = Start(c => c.IterStreamLinger = TimeSpan.Zero);
        await using var _ = daemon;
        var proxy = new PyroProxy(uri);
        Assert.IsType<PyroRemoteIterator>(await proxy.InvokeAsync("count", [10L]));
        Assert.Equal(1, daemon.Streams.Count);
        proxy.Dispose();
        for (int i = 0; i < 100 && daemon.Streams.Count > 0; i++) await Task.Delay(20);
        Assert.Equal(0, daemon.Streams.Count);
    }

    [Fact]
    public async Task Streaming_disabled_gives_pyros_error()
    {
        var (daemon, uri) = Start(c => c.IterStreaming = false);
        await using var _ = daemon;
        await using var proxy = new PyroProxy(uri);
        var e = await Assert.ThrowsAsync<ProtocolException>(() => proxy.InvokeAsync("count", [3L]));
        Assert.Equal("result of call is an iterator, but the server is not configured to allow streaming", e.Message);
    }
}
