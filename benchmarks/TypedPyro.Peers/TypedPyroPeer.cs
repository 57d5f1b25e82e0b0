using TypedPyro.Serialization;

namespace TypedPyro.Peers;

/// <summary>The typed contract of the benchmark object: the generator makes its proxy and dispatcher.</summary>
[Expose]
public interface IBenchEcho
{
    string Echo(string message);

    ValueTask<string> EchoValueAsync(string message);

    [Oneway]
    void Note(string message);

    long Length(byte[] data);

    long Size(ReadOnlyMemory<byte> data);
}

internal sealed class BenchEcho : IBenchEcho
{
    public string Echo(string message) => message;

    public ValueTask<string> EchoValueAsync(string message) => new(message);

    /// <summary>Oneway calls run so far (W3 is timed until every one has run, not only been read).</summary>
    public long Notes;

    public void Note(string message) => Interlocked.Increment(ref Notes);

    public long Length(byte[] data) => data.Length;

    public long Size(ReadOnlyMemory<byte> data) => data.Length;
}

/// <summary>
/// TypedPyro on both sides: a multiplex daemon serving echo, oneway_echo and length, called by untyped proxies with
/// the serpent and json serializers and the binary path (msgpack, bytes as msgpack bin), and the same through the
/// generated proxy and dispatcher of <see cref="IBenchEcho"/> (what a TypedPyro user writes).
/// </summary>
internal sealed class TypedPyroPeer : IAsyncDisposable
{
    private readonly PyroDaemon _daemon;
    private readonly PyroDaemon _unthreaded;
    private readonly BenchEcho _typed = new();
    private readonly BenchEcho _typedUnthreaded = new();
    private long _untypedNotes;

    public TypedPyroPeer()
    {
        (_daemon, EchoUri, TypedUri) = Start(onewayThreaded: true, _typed);
        // W3 as the Python row runs it: ONEWAY_THREADED off, each oneway call done before the next is read.
        (_unthreaded, _, TypedUnthreadedUri) = Start(onewayThreaded: false, _typedUnthreaded);
    }

    private (PyroDaemon, PyroUri Echo, PyroUri Typed) Start(bool onewayThreaded, BenchEcho typed)
    {
        var multiplex = PyroConfig.Default.With(c =>
        {
            c.ServerType = "multiplex";
            c.SerializersAccepted.Add("msgpack"); // the binary path
            c.OnewayThreaded = onewayThreaded;
        });
        var daemon = new PyroDaemon(new PyroDaemonOptions { Host = "127.0.0.1", Config = multiplex });
        var echo = daemon.Register(new PyroObjectBuilder("EchoServer")
            .Method("echo", call => call.Arg(0, "message"))
            .Method("length", call => (long)PyroConvert.ToBytes(call.Args[0]).Length)
            .Oneway("oneway_echo", _ => Interlocked.Increment(ref _untypedNotes))
            .Build(), "bench.echo");
        var typedUri = daemon.Register<IBenchEcho>(typed, "bench.typed");
        daemon.Start();
        return (daemon, echo, typedUri);
    }

    /// <summary>The echo object, for the other peers' clients to call.</summary>
    public PyroUri EchoUri { get; }

    private PyroUri TypedUri { get; }

    private PyroUri TypedUnthreadedUri { get; }

    private IBenchEcho Typed(SerializerId serializer = SerializerId.Serpent)
        => Pyro.Proxy<IBenchEcho>(TypedUri, new PyroProxyOptions { Serializer = serializer });

    public async Task RunAsync(Bench bench)
    {
        object?[] message = [Bench.Message];
        foreach (var serializer in new[] { SerializerId.Serpent, SerializerId.Json, SerializerId.MsgPack })
        {
            string peer = $"TypedPyro -> TypedPyro ({Name(serializer)})";
            if (!bench.Wants(Workloads.W1, peer)) continue;
            await using var proxy = Proxy(serializer);
            var w1 = await Measure.Sequential(() => proxy.InvokeAsync("echo", message), bench.Duration, bench.WarmUp);
            bench.Add(new(Workloads.W1, peer, w1.PerSecond, w1.P50, w1.P99));
        }

        using (var typed = (IDisposable)Typed())
        {
            var echo = (IBenchEcho)typed;
            const string sync = "TypedPyro typed proxy (serpent, sync)", async = "TypedPyro typed proxy (serpent, async)";
            if (bench.Wants(Workloads.W1, sync))
            {
                var w1 = await Measure.Sequential(() => { echo.Echo(Bench.Message); return Task.CompletedTask; }, bench.Duration, bench.WarmUp);
                bench.Add(new(Workloads.W1, sync, w1.PerSecond, w1.P50, w1.P99));
            }
            if (bench.Wants(Workloads.W1, async))
            {
                var w1 = await Measure.Sequential(() => echo.EchoValueAsync(Bench.Message).AsTask(), bench.Duration, bench.WarmUp);
                bench.Add(new(Workloads.W1, async, w1.PerSecond, w1.P50, w1.P99));
            }
        }

        if (bench.Wants(Workloads.W2, "TypedPyro typed proxy (serpent, async)"))
        {
            var typedProxies = Enumerable.Range(0, Bench.Clients).Select(_ => Typed()).ToList();
            var typedW2 = await Measure.Concurrent(typedProxies.Select(p => (Func<Task>)(() => p.EchoValueAsync(Bench.Message).AsTask())).ToList(), bench.Duration, bench.WarmUp);
            bench.Add(new(Workloads.W2, "TypedPyro typed proxy (serpent, async)", typedW2));
            foreach (var p in typedProxies) ((IDisposable)p).Dispose();
        }

        const string pipelinedPeer = "TypedPyro -> TypedPyro (serpent, 8 callers, one pipelined connection)";
        if (bench.Wants(Workloads.W2, pipelinedPeer))
        {
            await using var shared = new PyroProxy(EchoUri, new PyroProxyOptions { Pipelining = true });
            var pipelined = await Measure.Concurrent(Enumerable.Range(0, Bench.Clients).Select(_ => (Func<Task>)(() => shared.InvokeAsync("echo", message))).ToList(), bench.Duration, bench.WarmUp);
            bench.Add(new(Workloads.W2, pipelinedPeer, pipelined));
        }

        if (bench.Wants(Workloads.W2, "TypedPyro -> TypedPyro (serpent)"))
        {
            var proxies = Enumerable.Range(0, Bench.Clients).Select(_ => Proxy(SerializerId.Serpent)).ToList();
            var w2 = await Measure.Concurrent(proxies.Select(p => (Func<Task>)(() => p.InvokeAsync("echo", message))).ToList(), bench.Duration, bench.WarmUp);
            bench.Add(new(Workloads.W2, "TypedPyro -> TypedPyro (serpent)", w2));
            foreach (var p in proxies) p.Dispose();
        }

        // W3, timed until every oneway call has run: a threaded daemon answers the flushing call as soon as it has
        // read the oneway calls before it, while their work items may still be queued.
        if (bench.Wants(Workloads.W3, "TypedPyro -> TypedPyro (serpent)"))
        {
            await using var proxy = Proxy(SerializerId.Serpent);
            long sent = 0;
            Func<Task> send = () => { sent++; return proxy.InvokeAsync("oneway_echo", message); };
            Func<Task> flush = async () =>
            {
                await proxy.InvokeAsync("echo", message);
                await UntilRun(() => Interlocked.Read(ref _untypedNotes), () => sent);
            };
            await Measure.Oneway(send, flush, bench.WarmUp);
            bench.Add(new(Workloads.W3, "TypedPyro -> TypedPyro (serpent)", (await Measure.Oneway(send, flush, bench.Duration)).PerSecond));
        }
        foreach (var (uri, store, peer, note) in new[]
        {
            (TypedUri, _typed, "TypedPyro typed proxy (serpent)", (string?)null),
            (TypedUnthreadedUri, _typedUnthreaded, "TypedPyro typed proxy (serpent, unthreaded)", "ONEWAY_THREADED=False"),
        })
        {
            if (!bench.Wants(Workloads.W3, peer)) continue;
            using var typed = (IDisposable)Pyro.Proxy<IBenchEcho>(uri);
            var echo = (IBenchEcho)typed;
            long sent = 0;
            Func<Task> send = () => { echo.Note(Bench.Message); sent++; return Task.CompletedTask; };
            Func<Task> flush = async () =>
            {
                echo.Echo(Bench.Message);
                await UntilRun(() => Interlocked.Read(ref store.Notes), () => sent);
            };
            await Measure.Oneway(send, flush, bench.WarmUp);
            bench.Add(new(Workloads.W3, peer, (await Measure.Oneway(send, flush, bench.Duration)).PerSecond, Note: note));
        }
        // The daemon's own limit: the same oneway calls, prebuilt and sent as the raw row sends its frames.
        foreach (var (uri, store, peer, note) in new[]
        {
            (TypedUri, _typed, "C# client of prebuilt frames -> TypedPyro daemon (serpent)", "the daemon's limit: prebuilt frames, coalesced"),
            (TypedUnthreadedUri, _typedUnthreaded, "C# client of prebuilt frames -> TypedPyro daemon (serpent, unthreaded)", "the daemon's limit; ONEWAY_THREADED=False"),
        })
        {
            if (!bench.Wants(Workloads.W3, peer)) continue;
            await using var client = await PrebuiltOnewayClient.ConnectAsync(uri, nameof(IBenchEcho.Note), Bench.Message);
            long sent = 0;
            long before = Interlocked.Read(ref store.Notes);
            Func<Task> send = async () => { await client.SendAsync(); sent++; };
            Func<Task> flush = () => UntilRun(() => Interlocked.Read(ref store.Notes) - before, () => sent);
            await Measure.Oneway(send, flush, bench.WarmUp);
            bench.Add(new(Workloads.W3, peer, (await Measure.Oneway(send, flush, bench.Duration)).PerSecond, Note: note));
        }

        var blob = new byte[Bench.BulkSize];
        Random.Shared.NextBytes(blob);
        object?[] bulk = [blob];
        foreach (var serializer in new[] { SerializerId.Serpent, SerializerId.MsgPack })
        {
            string peer = $"TypedPyro -> TypedPyro ({Name(serializer)})";
            if (!bench.Wants(Workloads.W4, peer)) continue;
            await using var proxy = Proxy(serializer);
            var w4 = await Measure.Sequential(() => proxy.InvokeAsync("length", bulk), bench.Duration, bench.Smoke ? TimeSpan.Zero : bench.WarmUp);
            bench.AddBulk(peer, w4.PerSecond);
        }
        foreach (var serializer in new[] { SerializerId.Serpent, SerializerId.MsgPack })
        {
            using var typed = (IDisposable)Typed(serializer);
            var echo = (IBenchEcho)typed;
            // byte[]: the method gets an array of its own; ReadOnlyMemory<byte>: a view of the daemon's receive buffer.
            string array = $"TypedPyro typed proxy ({Name(serializer)}, byte[] parameter)", view = $"TypedPyro typed proxy ({Name(serializer)}, ReadOnlyMemory<byte> parameter)";
            var warmUp = bench.Smoke ? TimeSpan.Zero : bench.WarmUp;
            if (bench.Wants(Workloads.W4, array))
                bench.AddBulk(array, (await Measure.Sequential(() => { echo.Length(blob); return Task.CompletedTask; }, bench.Duration, warmUp)).PerSecond);
            if (bench.Wants(Workloads.W4, view))
                bench.AddBulk(view, (await Measure.Sequential(() => { echo.Size(blob); return Task.CompletedTask; }, bench.Duration, warmUp)).PerSecond);
        }

        foreach (var serializer in new[] { SerializerId.Serpent, SerializerId.MsgPack })
        {
            string peer = $"TypedPyro -> TypedPyro ({Name(serializer)})";
            if (!bench.Wants(Workloads.Batch, peer)) continue;
            await using var proxy = Proxy(serializer);
            var batch = proxy.CreateBatch();
            for (int i = 0; i < Bench.BatchSize; i++) batch.Add("echo", message);
            var b = await Measure.Sequential(() => batch.ExecuteAsync(), bench.Duration, bench.WarmUp);
            bench.Add(new(Workloads.Batch, peer, b.PerSecond * Bench.BatchSize));
        }
    }

    private PyroProxy Proxy(SerializerId serializer) => new(EchoUri, new PyroProxyOptions { Serializer = serializer });

    public static string Name(SerializerId serializer) => serializer.ToString().ToLowerInvariant();

    /// <summary>Waits until the daemon has run as many oneway calls as were sent; fails if it stops making progress.</summary>
    internal static async Task UntilRun(Func<long> run, Func<long> sent)
    {
        long last = run(), stalledSince = Environment.TickCount64;
        while (run() is var now && now < sent())
        {
            if (now != last) (last, stalledSince) = (now, Environment.TickCount64);
            else if (Environment.TickCount64 - stalledSince > 30_000) throw new InvalidOperationException($"W3: {sent() - now} oneway calls never ran");
            await Task.Delay(1);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _daemon.DisposeAsync();
        await _unthreaded.DisposeAsync();
    }
}
