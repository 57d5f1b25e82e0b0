using TypedPyro.Serialization;

namespace TypedPyro.Tests.Calls;

/// <summary>Bulk byte arrays: sent apart from the header, or (msgpack, unsigned) in place from the caller's array.</summary>
public sealed class BulkPayloadTests
{
    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public async Task Byte_arrays_of_every_size_arrive_whole(bool pipelining, bool compression)
    {
        var config = PyroConfig.Default.With(c =>
        {
            c.SerializersAccepted.Add("msgpack");
            c.Compression = compression; // compression needs the payload in one piece: no in-place sending
            c.OnewayThreaded = false; // oneway calls done in order before the next reply
        });
        await using var daemon = new PyroDaemon(new PyroDaemonOptions { Host = "127.0.0.1", Config = config });
        var received = new List<int>();
        var uri = daemon.Register(new PyroObjectBuilder("Bulk")
            .Method("echo", call => call.Args[0])
            .Method("pair", call => new PyTuple(call.Args[0], call.Args[1]))
            .Oneway("store", call => { lock (received) received.Add(PyroConvert.ToBytes(call.Args[0]).Length); })
            .Build(), "bulk");
        daemon.Start();
        await using var proxy = new PyroProxy(uri, new PyroProxyOptions { Serializer = SerializerId.MsgPack, Pipelining = pipelining, Config = config });
        foreach (int size in new[] { 65_535, 65_536, 1_000_000, 12 })
        {
            var data = new byte[size];
            new Random(size).NextBytes(data);
            Assert.Equal(data, PyroConvert.ToBytes(await proxy.InvokeAsync("echo", [data])));
            Assert.Equal(data, PyroConvert.ToBytes(proxy.Invoke("echo", data)));
            // two bulk arrays and small values around them, in one payload
            var other = new byte[size + 1];
            var pair = (List<object?>)(await proxy.InvokeAsync("pair", [data, other]))!; // msgpack has no tuples
            Assert.Equal(data, PyroConvert.ToBytes(pair[0]));
            Assert.Equal(other, PyroConvert.ToBytes(pair[1]));
            await proxy.InvokeAsync("store", [data]);
        }
        await proxy.InvokeAsync("echo", [1L]); // after the oneway calls
        Assert.Equal(new[] { 65_535, 65_536, 1_000_000, 12 }, received);
    }
}
