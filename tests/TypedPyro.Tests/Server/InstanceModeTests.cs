namespace TypedPyro.Tests.Server;

/// <summary>Registering factories with Pyro's single, session and percall instance modes.</summary>
public sealed class InstanceModeTests
{
    private static int _created;
    private static int _disposed;

    private sealed class Counter : IDisposable
    {
        private long _count;

        public Counter() => Interlocked.Increment(ref _created);

        public IPyroDispatcher Dispatcher() => new PyroObjectBuilder("Counter")
            .Method("next", _ => Interlocked.Increment(ref _count))
            .Attribute("count", () => Interlocked.Read(ref _count), value => Interlocked.Exchange(ref _count, Convert.ToInt64(value)))
            .Build();

        public void Dispose() => Interlocked.Increment(ref _disposed);
    }

    private sealed class DisposableDispatcher(Counter counter) : IPyroDispatcher, IDisposable
    {
        private readonly IPyroDispatcher _inner = counter.Dispatcher();
        public string TypeName => _inner.TypeName;
        public PyroObjectMetadata Metadata => _inner.Metadata;
        public ValueTask<object?> InvokeAsync(PyroInvocation invocation) => _inner.InvokeAsync(invocation);
        public ValueTask<object?> GetAttributeAsync(string name, PyroCallContext context) => _inner.GetAttributeAsync(name, context);
        public ValueTask SetAttributeAsync(string name, object? value, PyroCallContext context) => _inner.SetAttributeAsync(name, value, context);
        public void Dispose() => counter.Dispose();
    }

    private static readonly PyroObjectMetadata Metadata = new(["next"], attributes: ["count"]);

    private static async Task<(long A1, long A2, long B1)> CallsFromTwoClients(PyroInstanceMode mode)
    {
        await using var daemon = new PyroDaemon(new PyroDaemonOptions { Host = "127.0.0.1" });
        var uri = daemon.Register(() => new DisposableDispatcher(new Counter()), Metadata, mode, "counter");
        daemon.Start();
        await using var a = new PyroProxy(uri);
        await using var b = new PyroProxy(uri);
        var a1 = (long)(await a.InvokeAsync("next"))!;
        var a2 = (long)(await a.InvokeAsync("next"))!;
        var b1 = (long)(await b.InvokeAsync("next"))!;
        return (a1, a2, b1);
    }

    [Fact]
    public async Task Single_shares_one_instance()
        => Assert.Equal((1L, 2L, 3L), await CallsFromTwoClients(PyroInstanceMode.Single));

    [Fact]
    public async Task Session_gives_each_connection_its_own_instance()
        => Assert.Equal((1L, 2L, 1L), await CallsFromTwoClients(PyroInstanceMode.Session));

    [Fact]
    public async Task PerCall_makes_a_new_instance_every_time()
        => Assert.Equal((1L, 1L, 1L), await CallsFromTwoClients(PyroInstanceMode.PerCall));

    [Fact]
    public async Task Session_instances_are_disposed_when_their_connection_closes()
    {
        await using var daemon = new PyroDaemon(new PyroDaemonOptions { Host = "127.0.0.1" });
        var uri = daemon.Register(() => new DisposableDispatcher(new Counter()), Metadata, PyroInstanceMode.Session, "counter");
        var closed = new TaskCompletionSource();
        daemon.ClientDisconnected += _ => closed.TrySetResult();
        daemon.Start();
        int disposedBefore = Volatile.Read(ref _disposed);
        var proxy = new PyroProxy(uri);
        await proxy.InvokeAsync("next");
        proxy.Dispose();
        await closed.Task.WaitAsync(TimeSpan.FromSeconds(5));
        for (int i = 0; i < 50 && Volatile.Read(ref _disposed) == disposedBefore; i++) await Task.Delay(20);
        Assert.True(Volatile.Read(ref _disposed) > disposedBefore);
    }

    [Fact]
    public async Task PerCall_attribute_access_disposes_the_instance_it_made()
    {
        await using var daemon = new PyroDaemon(new PyroDaemonOptions { Host = "127.0.0.1" });
        var uri = daemon.Register(() => new DisposableDispatcher(new Counter()), Metadata, PyroInstanceMode.PerCall, "counter");
        daemon.Start();
        await using var proxy = new PyroProxy(uri);
        await proxy.InvokeAsync("next");
        int createdBefore = Volatile.Read(ref _created), disposedBefore = Volatile.Read(ref _disposed);

        Assert.Equal(0L, await proxy.GetAttributeAsync("count"));
        await proxy.SetAttributeAsync("count", 5L);

        // Other tests of this class may run beside this one, so compare how many were made and disposed since.
        int created = Volatile.Read(ref _created) - createdBefore, disposed = Volatile.Read(ref _disposed) - disposedBefore;
        Assert.True(created >= 2, $"{created} instances made for two attribute accesses");
        Assert.True(disposed >= created, $"{created} instances made, {disposed} disposed");
    }
}
