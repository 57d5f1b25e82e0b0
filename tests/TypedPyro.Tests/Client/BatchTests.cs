using TypedPyro.Tests.Support;

namespace TypedPyro.Tests.Client;

/// <summary>Batch calls between the .NET proxy and daemon.</summary>
public sealed class BatchTests : IAsyncLifetime
{
    private readonly TestObjects _objects = new();
    private PyroDaemon _daemon = null!;
    private PyroUri _uri = null!;

    public Task InitializeAsync()
    {
        _daemon = new PyroDaemon(new PyroDaemonOptions { Host = "127.0.0.1" });
        _uri = _daemon.Register(_objects.Create(), "thing");
        _daemon.Start();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _daemon.DisposeAsync();

    [Fact]
    public async Task Batch_runs_in_order_and_returns_every_result()
    {
        await using var proxy = new PyroProxy(_uri);
        var results = await proxy.CreateBatch()
            .Add("echo", ["a"])
            .Add("add", [1L, 2L])
            .Add("add", [1L], new Dictionary<string, object?> { ["b"] = 5L })
            .ExecuteAsync();
        Assert.Null(results.Error);
        Assert.Equal(["a", 3L, 6L], results.Results);
    }

    [Fact]
    public async Task Batch_stops_at_the_first_failure_as_pyro_does()
    {
        await using var proxy = new PyroProxy(_uri);
        var results = await proxy.CreateBatch().Add("echo", [1L]).Add("fail").Add("echo", [3L]).ExecuteAsync();
        Assert.Equal([1L], results.Results);
        var error = Assert.IsType<ArgumentException>(results.Error);
        Assert.Equal("bad value", error.Message);
        var seen = new List<object?>();
        Assert.Throws<ArgumentException>(() => { foreach (var v in results.Values) seen.Add(v); });
        Assert.Equal([1L], seen);
    }

    [Fact]
    public async Task Oneway_batch_sends_without_waiting()
    {
        await using var proxy = new PyroProxy(_uri);
        await proxy.CreateBatch().Add("notify", ["from batch"]).ExecuteOnewayAsync();
        Assert.Equal("from batch", await _objects.OnewayReceived.Task.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Equal("next", await proxy.InvokeAsync("echo", ["next"]));
    }

    [Fact]
    public async Task Unknown_method_in_a_batch_fails_the_whole_request()
    {
        await using var proxy = new PyroProxy(_uri);
        var e = await Assert.ThrowsAsync<MissingMemberException>(() => proxy.CreateBatch().Add("echo", [1L]).Add("_private").ExecuteAsync());
        Assert.Equal("attempt to access private attribute '_private'", e.Message);
    }
    [Theory]
    // serpent reads usual entries straight into calls; the others, and an entry with keywords, go the generic way.
    [InlineData("serpent")]
    [InlineData("msgpack")]
    [InlineData("json")]
    public async Task Every_serializer_runs_the_batch_and_stops_at_its_failure(string serializer)
    {
        var config = PyroConfig.Default.With(c =>
        {
            c.SerializersAccepted.Add("msgpack");
            c.SerializersAccepted.Add("json");
        });
        await using var daemon = new PyroDaemon(new PyroDaemonOptions { Host = "127.0.0.1", Config = config });
        var uri = daemon.Register(_objects.Create(), "thing");
        daemon.Start();
        await using var proxy = new PyroProxy(uri, new PyroProxyOptions { Serializer = TypedPyro.Serialization.PyroSerializers.ForName(serializer).Id });

        var plain = await proxy.CreateBatch().Add("echo", ["a"]).Add("add", [1L, 2L]).Add("echo", [new List<object?> { 1L, "b" }]).ExecuteAsync();
        Assert.Null(plain.Error);
        Assert.Equal(["a", 3L, new List<object?> { 1L, "b" }], plain.Results);

        var failed = await proxy.CreateBatch().Add("add", [1L, 2L]).Add("fail").Add("echo", ["never"]).ExecuteAsync();
        Assert.Equal([3L], failed.Results);
        Assert.Equal("bad value", Assert.IsType<ArgumentException>(failed.Error).Message);

        var keywords = await proxy.CreateBatch().Add("echo", ["a"]).Add("add", [1L], new Dictionary<string, object?> { ["b"] = 5L }).ExecuteAsync();
        Assert.Equal(["a", 6L], keywords.Results);
    }
}
