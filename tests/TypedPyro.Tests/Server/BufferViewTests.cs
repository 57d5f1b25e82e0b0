using System.Runtime.InteropServices;
using System.Security.Cryptography;
using TypedPyro.Serialization;

namespace TypedPyro.Tests.Server;

/// <summary>A contract taking bulk bytes every way a method can: views, arrays, objects, oneway, async, a lazy stream.</summary>
[Expose]
public interface IBulkStore
{
    string Inspect(ReadOnlyMemory<byte> data);

    Task<string> InspectLaterAsync(ReadOnlyMemory<byte> data);

    ReadOnlyMemory<byte> Echo(ReadOnlyMemory<byte> data);

    long Invert(Memory<byte> data);

    void Keep(byte[] data);

    string KeptHash();

    string Kind(object? data);

    [Oneway]
    void Note(ReadOnlyMemory<byte> data);

    string NotedHash();

    IEnumerable<long> Sums(ReadOnlyMemory<byte> data, int parts);
}

internal sealed class BulkStore : IBulkStore
{
    private byte[]? _kept;
    private string? _noted;
    public readonly ManualResetEventSlim NoteMayRun = new(true);
    public readonly ManualResetEventSlim Noted = new(false);

    public static string Hash(ReadOnlySpan<byte> data) => Convert.ToHexString(SHA256.HashData(data));

    /// <summary>"view" when the bytes are a slice of a bigger buffer (not an array made for them), then the hash.</summary>
    public string Inspect(ReadOnlyMemory<byte> data)
    {
        bool view = MemoryMarshal.TryGetArray(data, out var segment) && (segment.Offset != 0 || segment.Array!.Length != data.Length);
        return (view ? "view " : "array ") + Hash(data.Span);
    }

    public async Task<string> InspectLaterAsync(ReadOnlyMemory<byte> data)
    {
        await Task.Delay(20);
        return Inspect(data);
    }

    public ReadOnlyMemory<byte> Echo(ReadOnlyMemory<byte> data) => data;

    public long Invert(Memory<byte> data)
    {
        long sum = 0;
        foreach (ref byte b in data.Span)
        {
            b = (byte)~b;
            sum += b;
        }
        return sum;
    }

    public void Keep(byte[] data) => _kept = data;

    public string KeptHash() => Hash(_kept);

    public string Kind(object? data) => data?.GetType().Name ?? "null";

    public void Note(ReadOnlyMemory<byte> data)
    {
        NoteMayRun.Wait(TimeSpan.FromSeconds(10));
        _noted = Hash(data.Span);
        Noted.Set();
    }

    public string NotedHash() => Noted.Wait(TimeSpan.FromSeconds(10)) ? _noted! : "timed out";

    public IEnumerable<long> Sums(ReadOnlyMemory<byte> data, int parts)
    {
        // Lazy: runs part by part as the caller iterates, long after the call that made it returned.
        int size = data.Length / parts;
        for (int i = 0; i < parts; i++)
        {
            long sum = 0;
            foreach (byte b in data.Span.Slice(i * size, size)) sum += b;
            yield return sum;
        }
    }
}

/// <summary>
/// Bulk bytes arguments (64 KiB and more) reach a generated dispatcher without a copy: a <c>ReadOnlyMemory&lt;byte&gt;</c>
/// parameter is a view of the daemon's receive buffer (msgpack) or of one decode buffer (serpent). Whatever may
/// outlive the call (an array parameter, a threaded oneway call, a lazy stream) still gets bytes of its own.
/// </summary>
public sealed class BufferViewTests
{
    private static byte[] Bulk(int size, int seed)
    {
        var data = new byte[size];
        new Random(seed).NextBytes(data);
        return data;
    }

    /// <summary>A daemon serving a <see cref="BulkStore"/>, and a typed proxy to it; disposing closes both.</summary>
    private sealed class Served(PyroDaemon daemon, BulkStore store, IBulkStore proxy) : IAsyncDisposable
    {
        public PyroDaemon Daemon => daemon;

        public BulkStore Store => store;

        public IBulkStore Proxy => proxy;

        public async ValueTask DisposeAsync()
        {
            ((IDisposable)proxy).Dispose();
            await daemon.DisposeAsync();
        }
    }

    private static Served Start(SerializerId serializer)
    {
        var config = PyroConfig.Default.With(c => c.SerializersAccepted.Add("msgpack"));
        var daemon = new PyroDaemon(new PyroDaemonOptions { Host = "127.0.0.1", Config = config });
        var store = new BulkStore();
        var uri = daemon.Register<IBulkStore>(store, "bulk");
        daemon.Start();
        return new Served(daemon, store, Pyro.Proxy<IBulkStore>(uri, new PyroProxyOptions { Serializer = serializer }));
    }

    public static TheoryData<SerializerId> Serializers => [SerializerId.MsgPack, SerializerId.Serpent];

    [Theory]
    [MemberData(nameof(Serializers))]
    public async Task A_memory_parameter_gets_a_view_of_bulk_data_and_an_array_of_small_data(SerializerId serializer)
    {
        await using var served = Start(serializer);
        var proxy = served.Proxy;
        var bulk = Bulk(300_000, 1);
        Assert.Equal("view " + BulkStore.Hash(bulk), proxy.Inspect(bulk));
        Assert.Equal("view " + BulkStore.Hash(bulk), await proxy.InspectLaterAsync(bulk)); // valid until the task completes
        var small = Bulk(1_000, 2);
        Assert.Equal("array " + BulkStore.Hash(small), proxy.Inspect(small));
        Assert.Equal(bulk, proxy.Echo(bulk).ToArray());
        long inverted = 0;
        foreach (byte b in bulk) inverted += (byte)~b;
        Assert.Equal(inverted, proxy.Invert(bulk));
        Assert.Equal(BulkStore.Hash(bulk), BulkStore.Hash(proxy.Echo(bulk).Span)); // the caller's array is untouched
    }

    [Theory]
    [MemberData(nameof(Serializers))]
    public async Task What_outlives_the_call_has_bytes_of_its_own(SerializerId serializer)
    {
        await using var served = Start(serializer);
        var proxy = served.Proxy;
        var store = served.Store;
        var first = Bulk(250_000, 3);
        var second = Bulk(250_000, 4);

        proxy.Keep(first);
        proxy.Inspect(second); // the next bulk call reuses the receive buffer
        Assert.Equal(BulkStore.Hash(first), proxy.KeptHash());

        // A threaded oneway call still running while the next request is read.
        store.NoteMayRun.Reset();
        proxy.Note(first);
        proxy.Inspect(second);
        store.NoteMayRun.Set();
        Assert.Equal(BulkStore.Hash(first), proxy.NotedHash());

        // A lazy stream over its argument, iterated after other bulk calls on the same connection.
        using var sums = proxy.Sums(first, 5).GetEnumerator();
        Assert.True(sums.MoveNext());
        proxy.Inspect(second);
        proxy.Inspect(Bulk(400_000, 5));
        var expected = Enumerable.Range(0, 5).Select(i => first.AsSpan(i * 50_000, 50_000).ToArray().Sum(b => (long)b)).ToList();
        var actual = new List<long> { sums.Current };
        while (sums.MoveNext()) actual.Add(sums.Current);
        Assert.Equal(expected, actual);
    }

    [Fact]
    public async Task Bad_bulk_arguments_get_an_error_reply_and_the_daemon_serves_on()
    {
        await using var served = Start(SerializerId.Serpent);
        var proxy = served.Proxy;
        await using var raw = new PyroProxy(served.Daemon.UriFor("bulk"));
        // Serpent's bytes form with 70,001 characters that are no base64, for a ReadOnlyMemory<byte> and a byte[] parameter.
        var notBase64 = new Dictionary<object, object?> { ["data"] = new string('A', 70_001), ["encoding"] = "base64" };
        foreach (var method in new[] { "Inspect", "Keep" })
        {
            var e = await Assert.ThrowsAsync<ArgumentException>(() => raw.InvokeAsync(method, [notBase64]));
            Assert.Contains("invalid base64", e.Message);
        }
        // A bulk value of the wrong kind for the parameter is Python's TypeError, naming it as Python would.
        var typeError = await Assert.ThrowsAsync<ArgumentTypeException>(() => raw.InvokeAsync("Sums", [new byte[100_000], new byte[100_000]]));
        Assert.Contains("got dict", typeError.Message);
        var bulk = Bulk(100_000, 9);
        Assert.Equal("view " + BulkStore.Hash(bulk), proxy.Inspect(bulk));
    }

    [Fact]
    public async Task An_object_parameter_and_an_untyped_dispatcher_get_the_ordinary_object_model()
    {
        await using var served = Start(SerializerId.MsgPack);
        var proxy = served.Proxy;
        var bulk = Bulk(100_000, 6);
        Assert.Equal("Byte[]", proxy.Kind(bulk));

        var seen = new List<string>();
        var untyped = served.Daemon.Register(new PyroObjectBuilder("Raw").Method("kind", call => { seen.Add(call.Args[0]!.GetType().Name); return null; }).Build(), "raw");
        foreach (var serializer in new[] { SerializerId.MsgPack, SerializerId.Serpent })
        {
            await using var raw = new PyroProxy(untyped, new PyroProxyOptions { Serializer = serializer });
            await raw.InvokeAsync("kind", [bulk]);
        }
        Assert.Equal(["Byte[]", "Dictionary`2"], seen);
    }
}
