using TypedPyro.Interop.Tests.Support;
using TypedPyro.Serialization;

namespace TypedPyro.Interop.Tests;

/// <summary>SerializedBlob between .NET and Python, both directions.</summary>
public sealed class SerializedBlobInteropTests
{
    private const string PythonListener = """
        import Pyro4
        @Pyro4.expose
        class Listener(object):
            def process_blob(self, blob):
                return [blob.info, blob.deserialized()]
        d = Pyro4.Daemon(host="127.0.0.1")
        print("uri: " + str(d.register(Listener(), "listener")), flush=True)
        d.requestLoop()
        """;

    [Fact]
    public async Task Dotnet_blob_is_read_by_a_python_listener()
    {
        await using var python = PythonPeer.Start("-c", PythonListener);
        var uri = await python.WaitForAsync(@"^uri: (\S+)");
        await using var proxy = new PyroProxy(uri);
        var result = (List<object?>)(await proxy.InvokeAsync("process_blob", [new SerializedBlob("topic", new PyTuple("payload", 7L))]))!;
        Assert.Equal("topic", result[0]);
        Assert.Equal(new PyTuple("payload", 7L), result[1]);
    }

    [Fact]
    public async Task Python_blob_is_read_by_a_dotnet_listener()
    {
        await using var daemon = new PyroDaemon(new PyroDaemonOptions { Host = "127.0.0.1" });
        var uri = daemon.Register(new PyroObjectBuilder("Listener").Method("process_blob", call =>
        {
            var blob = (SerializedBlob)call.Args[0]!;
            return new List<object?> { blob.Info, blob.Deserialized() };
        }).Build(), "listener");
        daemon.Start();
        var output = await PythonPeer.RunScriptAsync($$"""
            import Pyro4
            from Pyro4.core import SerializedBlob
            print(repr(Pyro4.Proxy('{{uri}}').process_blob(SerializedBlob("topic", ("payload", 7)))))
            """);
        Assert.Equal("['topic', ('payload', 7)]", output.Trim());
    }
}
