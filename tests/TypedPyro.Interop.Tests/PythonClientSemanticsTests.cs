using System.Collections.Concurrent;
using TypedPyro.Interop.Tests.Support;

namespace TypedPyro.Interop.Tests;

/// <summary>Instance modes, resource tracking, timeouts and ONEWAY_THREADED seen from a Python Pyro4 client.</summary>
public sealed class PythonClientSemanticsTests
{
    private sealed class Counter : IPyroDispatcher, IDisposable
    {
        private readonly IPyroDispatcher _inner;
        private long _count;

        public Counter(ConcurrentBag<int> disposed, int id)
        {
            _inner = new PyroObjectBuilder("Counter")
                .Method("next", _ => Interlocked.Increment(ref _count))
                .Method("open_resource", call =>
                {
                    call.Context.Client!.TrackResource(new Resource(disposed, id));
                    return null;
                })
                .MethodAsync("slow", async _ => { await Task.Delay(2000); return "late"; })
                .Build();
            Id = id;
        }

        public int Id { get; }
        public string TypeName => _inner.TypeName;
        public PyroObjectMetadata Metadata => _inner.Metadata;
        public ValueTask<object?> InvokeAsync(PyroInvocation invocation) => _inner.InvokeAsync(invocation);
        public ValueTask<object?> GetAttributeAsync(string name, PyroCallContext context) => _inner.GetAttributeAsync(name, context);
        public ValueTask SetAttributeAsync(string name, object? value, PyroCallContext context) => _inner.SetAttributeAsync(name, value, context);
        public void Dispose() { }
    }

    private sealed class Resource(ConcurrentBag<int> disposed, int id) : IDisposable
    {
        public void Dispose() => disposed.Add(id);
    }

    private const string Script = """
        import Pyro4, Pyro4.errors
        out = []
        a = Pyro4.Proxy(URI_SESSION); b = Pyro4.Proxy(URI_SESSION)
        out.append([a.next(), a.next(), b.next()])
        s1 = Pyro4.Proxy(URI_SINGLE); s2 = Pyro4.Proxy(URI_SINGLE)
        out.append([s1.next(), s2.next()])
        p1 = Pyro4.Proxy(URI_PERCALL)
        out.append([p1.next(), p1.next()])
        a.open_resource(); a._pyroRelease()
        t = Pyro4.Proxy(URI_SESSION); t._pyroTimeout = 0.3
        try:
            t.slow(); out.append("no timeout")
        except Pyro4.errors.TimeoutError as e:
            out.append("timeout: " + str(e))
        print(repr(out))
        """;

    [Fact]
    public async Task Python_client_sees_instance_modes_resources_and_timeouts()
    {
        var disposed = new ConcurrentBag<int>();
        int next = 0;
        var metadata = new PyroObjectMetadata(["next", "open_resource", "slow"]);
        await using var daemon = new PyroDaemon(new PyroDaemonOptions { Host = "127.0.0.1" });
        var session = daemon.Register(() => new Counter(disposed, Interlocked.Increment(ref next)), metadata, PyroInstanceMode.Session, "session");
        var single = daemon.Register(() => new Counter(disposed, Interlocked.Increment(ref next)), metadata, PyroInstanceMode.Single, "single");
        var percall = daemon.Register(() => new Counter(disposed, Interlocked.Increment(ref next)), metadata, PyroInstanceMode.PerCall, "percall");
        daemon.Start();

        var output = await PythonPeer.RunScriptAsync(Script
            .Replace("URI_SESSION", $"'{session}'").Replace("URI_SINGLE", $"'{single}'").Replace("URI_PERCALL", $"'{percall}'"));
        Assert.Equal("[[1, 2, 1], [1, 2], [1, 1], 'timeout: receiving: timeout']", output.Trim());
        for (int i = 0; i < 100 && disposed.IsEmpty; i++) await Task.Delay(50);
        Assert.Single(disposed); // the resource tracked on the released connection was closed with it
    }

    [Fact]
    public async Task Oneway_threaded_off_makes_a_python_client_wait_for_the_oneway_method()
    {
        var config = PyroConfig.Default.With(c => c.OnewayThreaded = false);
        await using var daemon = new PyroDaemon(new PyroDaemonOptions { Host = "127.0.0.1", Config = config });
        var uri = daemon.Register(new PyroObjectBuilder("Slow")
            .OnewayAsync("oneway_slow", async _ => await Task.Delay(1500))
            .Method("echo", call => call.Arg(0, "message"))
            .Build(), "slow");
        daemon.Start();
        var output = await PythonPeer.RunScriptAsync($$"""
            import time, Pyro4
            p = Pyro4.Proxy('{{uri}}')
            t = time.time(); p.oneway_slow(); sent = time.time() - t
            p.echo("x"); total = time.time() - t
            print("%.1f %.1f" % (sent, total))
            """);
        var parts = output.Trim().Split(' ').Select(s => double.Parse(s, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        Assert.True(parts[0] < 0.5, "the oneway call itself returns at once");
        Assert.True(parts[1] >= 1.4, "with ONEWAY_THREADED off the connection waits for the oneway method");
    }
}
