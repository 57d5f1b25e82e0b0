using BenchmarkDotNet.Attributes;
using TypedPyro.Serialization;

namespace TypedPyro.Benchmarks;

/// <summary>
/// The peer harness's batch workload in one process (issue 24): a batch of 100 echo calls of the 10-character
/// message, one message each way, through an untyped proxy and a multiplex daemon over loopback TCP. The figure is
/// both sides' CPU and allocations per batch; divide by 100 for a call.
/// </summary>
[MemoryDiagnoser]
public class BatchBenchmarks
{
    private const int Calls = 100;

    private PyroDaemon _daemon = null!;
    private PyroProxy _proxy = null!;
    private PyroBatch _batch = null!;

    [Params("serpent", "msgpack")]
    public string Serializer { get; set; } = "serpent";

    [GlobalSetup]
    public void Setup()
    {
        var config = PyroConfig.Default.With(c =>
        {
            c.ServerType = "multiplex";
            c.SerializersAccepted.Add("msgpack");
        });
        _daemon = new PyroDaemon(new PyroDaemonOptions { Host = "127.0.0.1", Config = config });
        var uri = _daemon.Register(new PyroObjectBuilder("EchoServer").Method("echo", call => call.Arg(0, "message")).Build(), "echo");
        _daemon.Start();
        _proxy = new PyroProxy(uri, new PyroProxyOptions { Serializer = PyroSerializers.ForName(Serializer).Id });
        _batch = _proxy.CreateBatch();
        object?[] message = ["hello worl"];
        for (int i = 0; i < Calls; i++) _batch.Add("echo", message);
        if (Execute().GetAwaiter().GetResult() != Calls) throw new InvalidOperationException("the batch is not working");
    }

    [GlobalCleanup]
    public async Task Cleanup()
    {
        await _proxy.DisposeAsync();
        await _daemon.DisposeAsync();
    }

    /// <summary>Sends the batch and reads its 100 results.</summary>
    [Benchmark]
    public async Task<int> Execute() => (await _batch.ExecuteAsync()).Results.Count;
}
