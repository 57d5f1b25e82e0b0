using BenchmarkDotNet.Attributes;
using TypedPyro.Serialization;

namespace TypedPyro.Benchmarks;

/// <summary>A benchmark contract: the generator makes its proxy and dispatcher.</summary>
[Expose]
public interface IBenchEcho
{
    string Echo(string message);

    Task<string> EchoTaskAsync(string message);
}

/// <summary>The implementation: returns its argument.</summary>
public sealed class BenchEcho : IBenchEcho
{
    public string Echo(string message) => message;

    public Task<string> EchoTaskAsync(string message) => Task.FromResult(message);
}

/// <summary>
/// Typed calls: the whole round trip through a generated proxy and dispatcher over an in-process connected pair
/// (both sides' allocations, since both run in this process), and the server side alone (the generated dispatcher
/// binding arguments and calling the implementation, no transport).
/// </summary>
[MemoryDiagnoser]
public class TypedCallBenchmarks
{
    private PyroDaemon _daemon = null!;
    private Stream _client = null!;
    private IBenchEcho _proxy = null!;
    private IPyroDispatcher _dispatcher = null!;
    private PyroInvocation _invocation = null!;

    [GlobalSetup]
    public async Task Setup()
    {
        _daemon = new PyroDaemon(new PyroDaemonOptions { Host = "127.0.0.1" });
        _daemon.Register<IBenchEcho>(new BenchEcho(), "echo");
        var (client, server) = PyroConnectedPair.Create();
        _client = client;
        _ = _daemon.ServeConnectedAsync(server);
        var connection = PyroProxy.ForConnectedStream("echo", client);
        await connection.ConnectAsync();
        _proxy = PyroContracts.CreateProxy<IBenchEcho>(connection);
        _dispatcher = PyroContracts.CreateDispatcher<IBenchEcho>(new BenchEcho());
        _invocation = new PyroInvocation("Echo", new PyTuple("hello worl"), null, null!);
    }

    [GlobalCleanup]
    public async Task Cleanup()
    {
        await ((IAsyncDisposable)_proxy).DisposeAsync();
        await _client.DisposeAsync();
        await _daemon.DisposeAsync();
    }

    [Benchmark]
    public string TypedEchoCall() => _proxy.Echo("hello worl");

    [Benchmark]
    public Task<string> TypedEchoCallAsync() => _proxy.EchoTaskAsync("hello worl");

    [Benchmark]
    public ValueTask<object?> DispatcherOnly() => _dispatcher.InvokeAsync(_invocation);
}
