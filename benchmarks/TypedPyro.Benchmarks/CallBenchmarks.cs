using BenchmarkDotNet.Attributes;

namespace TypedPyro.Benchmarks;

/// <summary>A whole untyped call through an in-process connected pair: proxy, framing, daemon, dispatcher, and back.</summary>
[MemoryDiagnoser]
public class CallBenchmarks
{
    private PyroDaemon _daemon = null!;
    private PyroProxy _proxy = null!;
    private Stream _client = null!;
    private readonly object?[] _args = ["hello worl"];

    [GlobalSetup]
    public async Task Setup()
    {
        _daemon = new PyroDaemon(new PyroDaemonOptions { Host = "127.0.0.1" });
        _daemon.Register(new PyroObjectBuilder("Echo").Method("echo", call => call.Args[0]).Build(), "echo");
        var (client, server) = PyroConnectedPair.Create();
        _client = client;
        _ = _daemon.ServeConnectedAsync(server);
        _proxy = PyroProxy.ForConnectedStream("echo", client);
        await _proxy.ConnectAsync();
    }

    [GlobalCleanup]
    public async Task Cleanup()
    {
        await _proxy.DisposeAsync();
        await _client.DisposeAsync();
        await _daemon.DisposeAsync();
    }

    [Benchmark]
    public Task<object?> UntypedEchoCall() => _proxy.InvokeAsync("echo", _args);
}
