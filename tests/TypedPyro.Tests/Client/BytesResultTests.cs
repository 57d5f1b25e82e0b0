using TypedPyro.Serialization;

namespace TypedPyro.Tests.Client;

/// <summary>A contract returning bytes every way a typed method can, and failing after bytes were asked for.</summary>
[Expose]
public interface IBytesSource
{
    byte[] Bytes(int size, int seed);

    Task<byte[]> TaskBytesAsync(int size, int seed);

    ValueTask<byte[]> ValueBytesAsync(int size, int seed);

    byte[] Fail(int size);

    string Text(int size);
}

internal sealed class BytesSource : IBytesSource
{
    public static byte[] Make(int size, int seed)
    {
        var data = new byte[size];
        new Random(seed).NextBytes(data);
        return data;
    }

    public byte[] Bytes(int size, int seed) => Make(size, seed);

    public Task<byte[]> TaskBytesAsync(int size, int seed) => Task.FromResult(Make(size, seed));

    public ValueTask<byte[]> ValueBytesAsync(int size, int seed) => new(Make(size, seed));

    public byte[] Fail(int size) => throw new InvalidOperationException(new string('x', size));

    public string Text(int size) => new('y', size);
}

/// <summary>
/// <c>byte[]</c> results of typed methods (issue 24 pins them before serpent's bulk results are decoded straight into
/// the caller's array): every size on both sides of the 64 KiB threshold, sync and async, serpent and msgpack, come
/// back exact; an exception reply still throws; untyped callers still see serpent's bytes dict.
/// </summary>
public sealed class BytesResultTests : IAsyncLifetime
{
    private PyroDaemon _daemon = null!;
    private PyroUri _uri = null!;

    public Task InitializeAsync()
    {
        var config = PyroConfig.Default.With(c => c.SerializersAccepted.Add("msgpack"));
        _daemon = new PyroDaemon(new PyroDaemonOptions { Host = "127.0.0.1", Config = config });
        _uri = _daemon.Register<IBytesSource>(new BytesSource(), "bytes");
        _daemon.Start();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _daemon.DisposeAsync();

    public static TheoryData<SerializerId, int> Sizes => new()
    {
        { SerializerId.Serpent, 0 }, { SerializerId.Serpent, 1_000 }, { SerializerId.Serpent, 49_151 }, { SerializerId.Serpent, 65_536 },
        { SerializerId.Serpent, 1_000_001 }, { SerializerId.MsgPack, 65_536 }, { SerializerId.MsgPack, 1_000_001 },
    };

    [Theory]
    [MemberData(nameof(Sizes))]
    public async Task Bytes_results_come_back_exact(SerializerId serializer, int size)
    {
        var source = Pyro.Proxy<IBytesSource>(_uri, new PyroProxyOptions { Serializer = serializer });
        using var _ = (IDisposable)source;
        var expected = BytesSource.Make(size, size);
        Assert.Equal(expected, source.Bytes(size, size));
        Assert.Equal(expected, await source.TaskBytesAsync(size, size));
        Assert.Equal(expected, await source.ValueBytesAsync(size, size));
        Assert.Equal(size, source.Text(size).Length); // the next call on the same connection reads its own reply
    }

    [Theory]
    [InlineData(10)]
    [InlineData(100_000)]
    public void An_exception_reply_still_throws(int size)
    {
        var source = Pyro.Proxy<IBytesSource>(_uri);
        using var _ = (IDisposable)source;
        var e = Assert.ThrowsAny<Exception>(() => source.Fail(size));
        Assert.Contains(new string('x', 10), e.Message);
    }

    [Fact]
    public async Task Untyped_callers_still_get_serpents_bytes_dict()
    {
        await using var proxy = new PyroProxy(_uri);
        var value = await proxy.InvokeAsync("Bytes", [100_000L, 7L]);
        var dict = Assert.IsAssignableFrom<System.Collections.IDictionary>(value);
        Assert.Equal("base64", dict["encoding"]);
        Assert.Equal(BytesSource.Make(100_000, 7), PyroConvert.ToBytes(value));
    }
}
