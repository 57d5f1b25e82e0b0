using TypedPyro.Serialization;

namespace TypedPyro.Tests.Server;

/// <summary>Pyro's blob-dispatch example: a dispatcher forwards a call without deserializing it.</summary>
public sealed class SerializedBlobTests
{
    [Theory]
    [InlineData(SerializerId.Serpent)]
    [InlineData(SerializerId.Json)]
    public async Task A_dispatcher_forwards_a_blob_it_never_deserializes(SerializerId serializer)
    {
        var options = new PyroProxyOptions { Serializer = serializer };
        var received = new TaskCompletionSource<(object? Info, object? Data)>();
        await using var daemon = new PyroDaemon(new PyroDaemonOptions { Host = "127.0.0.1" });
        var listener = daemon.Register(new PyroObjectBuilder("Listener").Method("process_blob", call =>
        {
            var blob = Assert.IsType<SerializedBlob>(call.Arg(0, "blob"));
            received.TrySetResult((blob.Info, blob.Deserialized()));
            return null;
        }).Build(), "listener");
        bool dispatcherSawPayload = true;
        var dispatcher = daemon.Register(new PyroObjectBuilder("Dispatcher").MethodAsync("process_blob", async call =>
        {
            var blob = Assert.IsType<SerializedBlob>(call.Arg(0, "blob"));
            dispatcherSawPayload = blob.ContainsSerializedPayload;
            await using var next = new PyroProxy(listener, options);
            await next.InvokeAsync("process_blob", [blob]);
            return blob.Info;
        }).Build(), "dispatcher");
        daemon.Start();

        await using var client = new PyroProxy(dispatcher, options);
        var data = new PyTuple(new Dictionary<object, object?> { ["name"] = "customdata", ["value"] = 42L });
        Assert.Equal("topic-1", await client.InvokeAsync("process_blob", [new SerializedBlob("topic-1", data)]));
        var (info, forwarded) = await received.Task.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.True(dispatcherSawPayload);
        Assert.Equal("topic-1", info);
        var args = Assert.IsAssignableFrom<IReadOnlyList<object?>>(forwarded);
        Assert.Equal(data[0], args[0], PyValueComparer.Instance);
    }

    [Fact]
    public async Task A_blob_must_be_the_only_argument()
    {
        await using var daemon = new PyroDaemon(new PyroDaemonOptions { Host = "127.0.0.1" });
        var uri = daemon.Register(new PyroObjectBuilder("X").Method("m", _ => null).Build(), "x");
        daemon.Start();
        await using var proxy = new PyroProxy(uri);
        await Assert.ThrowsAsync<SerializeException>(() => proxy.InvokeAsync("m", [new SerializedBlob("i", PyTuple.Empty), 1L]));
    }
}
