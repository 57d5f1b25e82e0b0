using TypedPyro.Serialization;

namespace TypedPyro.Tests.Server;

/// <summary>A contract whose numbers the daemon hands over without boxing them.</summary>
[Expose]
[PyroNaming(PyroNamingPolicy.SnakeCase)]
public interface INumbers
{
    long Add(int a, long b);

    double Scale(double x, int times);

    string Describe(int count, string label, double weight = 1.5);

    [Oneway]
    void Record(int value);

    long Recorded();
}

internal sealed class Numbers : INumbers
{
    private long _recorded;

    public long Add(int a, long b) => a + b;

    public double Scale(double x, int times) => x * times;

    public string Describe(int count, string label, double weight = 1.5) => $"{count} {label} {weight}";

    public void Record(int value) => Interlocked.Add(ref _recorded, value);

    public long Recorded() => Interlocked.Read(ref _recorded);
}

/// <summary>
/// The daemon reads serpent arguments into a per-connection list with unboxed numbers, which the generated dispatcher
/// converts straight to its parameter types. Every conversion must still be Python's: range checks, int for float,
/// keywords, defaults, errors that name the argument; and a hand-written dispatcher still gets arguments of its own.
/// </summary>
public sealed class TypedArgumentReadTests : IAsyncLifetime
{
    private readonly PyroDaemon _daemon = new(new PyroDaemonOptions { Host = "127.0.0.1", Config = PyroConfig.Default.With(c => c.OnewayThreaded = false) });
    private PyroUri _uri = null!;

    public Task InitializeAsync()
    {
        _uri = _daemon.Register<INumbers>(new Numbers(), "numbers");
        _daemon.Start();
        return Task.CompletedTask;
    }

    public Task DisposeAsync() => _daemon.DisposeAsync().AsTask();

    [Fact]
    public void Typed_calls_get_their_numbers()
    {
        var numbers = Pyro.Proxy<INumbers>(_uri);
        using var _ = (IDisposable)numbers;
        Assert.Equal(int.MaxValue + 5_000_000_000L, numbers.Add(int.MaxValue, 5_000_000_000));
        Assert.Equal(-7.5, numbers.Scale(2.5, -3));
        Assert.Equal("3 apples 0.25", numbers.Describe(3, "apples", 0.25));
        for (int i = 1; i <= 100; i++) numbers.Record(i);
        Assert.Equal(5050, numbers.Recorded());
    }

    [Fact]
    public async Task Untyped_callers_get_python_conversions_and_errors()
    {
        await using var proxy = new PyroProxy(_uri);
        // An int where a float is declared is that float; a float where an int is declared is a TypeError.
        Assert.Equal(6.0, await proxy.InvokeAsync("scale", [2L, 3L]));
        Exception error = await Assert.ThrowsAsync<ArgumentTypeException>(() => proxy.InvokeAsync("add", [1.5, 2L]));
        Assert.Contains("add() argument 'a'", error.Message);
        // Out of int range: an OverflowException naming the argument, not a wrapped-around value.
        error = await Assert.ThrowsAsync<OverflowException>(() => proxy.InvokeAsync("add", [5_000_000_000L, 1L]));
        Assert.Contains("add() argument 'a'", error.Message);
        // Keywords, and a default for what is not given.
        Assert.Equal("2 pears 1.5", await proxy.InvokeAsync("describe", [2L], new Dictionary<string, object?> { ["label"] = "pears" }));
        error = await Assert.ThrowsAsync<ArgumentTypeException>(() => proxy.InvokeAsync("add", [1L, 2L], new Dictionary<string, object?> { ["a"] = 3L }));
        Assert.Contains("got multiple values for argument 'a'", error.Message);
        error = await Assert.ThrowsAsync<ArgumentTypeException>(() => proxy.InvokeAsync("add", [1L]));
        Assert.Contains("missing 1 required positional argument: 'b'", error.Message);
        // Big ints stay exact until the declared type refuses them.
        error = await Assert.ThrowsAsync<OverflowException>(() => proxy.InvokeAsync("add", [1L, System.Numerics.BigInteger.Pow(10, 30)]));
        Assert.Contains("add() argument 'b'", error.Message);
        Assert.Equal(3L, await proxy.InvokeAsync("add", [1L, 2L]));
    }

    [Fact]
    public async Task Repeated_calls_on_one_connection_each_see_their_own_values()
    {
        // The connection hands the same invocation to the next call of the same method (only its list's values
        // change); alternating methods, keywords and oneway calls in between must not mix anything up.
        await using var proxy = new PyroProxy(_uri);
        var numbers = Pyro.Proxy<INumbers>(_uri);
        using var _ = (IDisposable)numbers;
        long expectedRecorded = numbers.Recorded();
        for (int i = 0; i < 200; i++)
        {
            Assert.Equal(i + 1_000_000_000_000L, await proxy.InvokeAsync("add", [(long)i, 1_000_000_000_000L]));
            Assert.Equal(i * 0.5, await proxy.InvokeAsync("scale", [0.5, (long)i]));
            Assert.Equal($"{i} n{i} 1.5", await proxy.InvokeAsync("describe", [(long)i, $"n{i}"]));
            Assert.Equal($"{i} k{i} 0.5", await proxy.InvokeAsync("describe", [(long)i], new Dictionary<string, object?> { ["label"] = $"k{i}", ["weight"] = 0.5 }));
            numbers.Record(i);
            expectedRecorded += i;
            Assert.Equal($"{i} typed 2", numbers.Describe(i, "typed", 2));
        }
        Assert.Equal(expectedRecorded, numbers.Recorded());
    }

    [Fact]
    public async Task A_hand_written_dispatcher_keeps_invocations_of_its_own()
    {
        var kept = new List<PyroInvocation>();
        var uri = _daemon.Register(new PyroObjectBuilder("Invocations").Method("keep", call => { kept.Add(call); return null; }).Build(), "invocations");
        await using var proxy = new PyroProxy(uri);
        await proxy.InvokeAsync("keep", ["first"]);
        await proxy.InvokeAsync("keep", ["second"]);
        Assert.NotSame(kept[0], kept[1]);
        Assert.Equal(["first"], kept[0].Args.ToArray());
        Assert.Equal(["second"], kept[1].Args.ToArray());
    }

    [Fact]
    public async Task A_hand_written_dispatcher_keeps_arguments_of_its_own()
    {
        var kept = new List<IReadOnlyList<object?>>();
        var uri = _daemon.Register(new PyroObjectBuilder("Keeper").Method("keep", call => { kept.Add(call.Args); return null; }).Build(), "keeper");
        await using var proxy = new PyroProxy(uri);
        await proxy.InvokeAsync("keep", [1L, "one", 1.5]);
        await proxy.InvokeAsync("keep", [2L, "two"]);
        Assert.Equal([1L, "one", 1.5], kept[0].ToArray());
        Assert.Equal([2L, "two"], kept[1].ToArray());
        Assert.IsNotType<CallArguments>(kept[0]);
    }
}
