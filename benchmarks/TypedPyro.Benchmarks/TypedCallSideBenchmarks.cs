using BenchmarkDotNet.Attributes;
using TypedPyro.Serialization;

namespace TypedPyro.Benchmarks;

/// <summary>
/// One small typed call over loopback TCP, each side measured alone (issue 3 and 8's "bytes allocated per call on
/// each side"): the other side is a scripted peer that allocates nothing, so MemoryDiagnoser's figure is the
/// generated proxy's (client) or the daemon and generated dispatcher's (server).
/// </summary>
[MemoryDiagnoser]
public class TypedCallSideBenchmarks
{
    private const string Message = "hello worl";

    private ScriptedServer _server = null!;
    private IBenchEcho _proxy = null!;
    private PyroDaemon _daemon = null!;
    private ScriptedClient _client = null!;

    [Params("serpent", "json")]
    public string Serializer { get; set; } = "serpent";

    [GlobalSetup]
    public void Setup()
    {
        var serializer = PyroSerializers.ForName(Serializer);
        _server = new ScriptedServer(serializer, "Echo", Message);
        _proxy = Pyro.Proxy<IBenchEcho>(new PyroUri("echo", "127.0.0.1", _server.Port), new PyroProxyOptions { Serializer = serializer.Id });
        if (_proxy.Echo(Message) != Message) throw new InvalidOperationException("client side is not working");

        _daemon = new PyroDaemon(new PyroDaemonOptions { Host = "127.0.0.1" });
        var uri = _daemon.Register<IBenchEcho>(new BenchEcho(), "echo");
        _daemon.Start();
        _client = new ScriptedClient(uri, serializer, "Echo", Message);
        _client.Call();
    }

    [GlobalCleanup]
    public async Task Cleanup()
    {
        ((IDisposable)_proxy).Dispose();
        _server.Dispose();
        _client.Dispose();
        await _daemon.DisposeAsync();
    }

    /// <summary>The generated proxy's side: write the call, read and convert the reply.</summary>
    [Benchmark]
    public string ClientSide() => _proxy.Echo(Message);

    /// <summary>The daemon's side: read the call, bind arguments, run the method, write the reply.</summary>
    [Benchmark]
    public int ServerSide() => _client.Call();
}
