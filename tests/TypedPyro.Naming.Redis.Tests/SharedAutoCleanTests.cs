using TypedPyro.Naming.Redis.Tests.Support;

namespace TypedPyro.Naming.Redis.Tests;

/// <summary>NS_AUTOCLEAN on two name servers sharing Redis: one cleaner holds the lease, dead names go, live ones stay.</summary>
public sealed class SharedAutoCleanTests : IDisposable
{
    private readonly RedisServer _redis = RedisServer.Start();

    public void Dispose() => _redis.Dispose();

    private NameServerHost Start()
    {
        var host = NameServerHost.Create(new NameServerHostOptions
        {
            Host = "127.0.0.1",
            Port = 0,
            EnableBroadcast = false,
            StorageProvider = _redis.OpenStorage(),
            Config = new PyroConfig().With(c => c.NsAutoClean = TimeSpan.FromSeconds(3)),
        });
        host.Start();
        return host;
    }

    [Fact]
    public async Task One_name_server_cleans_the_shared_registry_and_live_names_stay()
    {
        await using var a = Start();
        await using var b = Start();
        using var client = new NameServerClient(a.Uri);
        await client.RegisterAsync("dead", $"PYRO:dead@127.0.0.1:{RedisServer.FreeTcpPort()}");
        await client.RegisterAsync("alive", $"PYRO:alive@127.0.0.1:{_redis.Port}"); // something listens there
        using var probe = _redis.OpenStorage();
        // Unreachable for 20 s, then removed; a round every 3 s.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(45);
        while (probe.Contains("dead") && DateTime.UtcNow < deadline) await Task.Delay(500);
        Assert.False(probe.Contains("dead"));
        Assert.True(probe.Contains("alive"));
        // One of the two holds the cleaner's lease, so a third party cannot take it.
        Assert.False(probe.TryHoldLease("autoclean", "someone else", TimeSpan.FromSeconds(1)));
    }
}
