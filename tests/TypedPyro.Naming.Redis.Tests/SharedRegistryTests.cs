using TypedPyro.Naming.Redis.Tests.Support;

namespace TypedPyro.Naming.Redis.Tests;

/// <summary>Two name servers on one Redis are one registry, over the wire, and survive the loss of either or of Redis.</summary>
public sealed class SharedRegistryTests : IDisposable
{
    private readonly RedisServer _redis = RedisServer.Start(appendOnly: true);

    public void Dispose() => _redis.Dispose();

    [Fact]
    public async Task A_name_registered_through_one_is_found_through_the_other_at_once()
    {
        await using var a = SharedNameServers.Start(_redis);
        await using var b = SharedNameServers.Start(_redis);
        using var viaA = SharedNameServers.Client(a);
        using var viaB = SharedNameServers.Client(b);
        await viaA.RegisterAsync("shared.echo", "PYRO:echo@127.0.0.1:5555", metadata: ["red"]);
        Assert.Equal("PYRO:echo@127.0.0.1:5555", (await viaB.LookupAsync("shared.echo")).ToString());
        Assert.Equal(["red"], (await viaB.LookupWithMetadataAsync("shared.echo")).Metadata);
        await viaB.SetMetadataAsync("shared.echo", ["blue"]);
        Assert.Equal(["blue"], (await viaA.LookupWithMetadataAsync("shared.echo")).Metadata);
        // Each answers for itself under Pyro.NameServer.
        Assert.Equal(a.Uri, await viaA.LookupAsync(NameServer.ObjectId));
        Assert.Equal(b.Uri, await viaB.LookupAsync(NameServer.ObjectId));
        Assert.Equal(1, await viaB.RemoveAsync("shared.echo"));
        await Assert.ThrowsAsync<NamingException>(() => viaA.LookupAsync("shared.echo"));
    }

    [Fact]
    public async Task With_one_name_server_gone_lookups_and_registrations_go_on_through_the_other()
    {
        var a = SharedNameServers.Start(_redis);
        await using var b = SharedNameServers.Start(_redis);
        using (var viaA = SharedNameServers.Client(a))
        {
            await viaA.RegisterAsync("before", "PYRO:before@127.0.0.1:1");
        }
        await a.DisposeAsync();
        using var viaB = SharedNameServers.Client(b);
        Assert.Equal("PYRO:before@127.0.0.1:1", (await viaB.LookupAsync("before")).ToString());
        await viaB.RegisterAsync("after", "PYRO:after@127.0.0.1:2");
        Assert.Equal(["Pyro.NameServer", "after", "before"], (await viaB.ListAsync()).Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_killed_and_restarted_redis_with_append_only_persistence_loses_nothing()
    {
        await using var a = SharedNameServers.Start(_redis);
        using var viaA = SharedNameServers.Client(a);
        for (int i = 0; i < 50; i++) await viaA.RegisterAsync("kept." + i, $"PYRO:o{i}@127.0.0.1:1", metadata: ["n" + i]);
        _redis.Restart();
        // The name server reconnects by itself; calls fail with NamingException until it has.
        IReadOnlyList<NameRegistration>? listed = null;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (listed is null)
        {
            try
            {
                listed = await viaA.ListWithMetadataAsync(prefix: "kept.");
            }
            catch (NamingException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }
        }
        Assert.Equal(50, listed.Count);
        Assert.All(listed, r => Assert.Equal(["n" + r.Name["kept.".Length..]], r.Metadata));
    }

    [Fact]
    public async Task Twenty_clients_registering_through_both_servers_lose_nothing_and_duplicate_nothing()
    {
        await using var a = SharedNameServers.Start(_redis);
        await using var b = SharedNameServers.Start(_redis);
        int safeWins = 0;
        await Task.WhenAll(Enumerable.Range(0, 20).Select(client => Task.Run(async () =>
        {
            using var ns = SharedNameServers.Client(client % 2 == 0 ? a : b);
            for (int i = 0; i < 25; i++) await ns.RegisterAsync($"c{client}.n{i}", $"PYRO:c{client}n{i}@127.0.0.1:1");
            try
            {
                await ns.RegisterAsync("only.one", $"PYRO:c{client}@127.0.0.1:1", safe: true);
                Interlocked.Increment(ref safeWins);
            }
            catch (NamingException)
            {
            }
        })));
        using var check = SharedNameServers.Client(b);
        var names = (await check.ListAsync()).Keys.Where(n => n != NameServer.ObjectId).ToList();
        Assert.Equal(20 * 25 + 1, names.Count);
        Assert.Equal(names.Count, names.Distinct().Count());
        Assert.Equal(1, safeWins);
        using var other = SharedNameServers.Client(a);
        Assert.Equal(20 * 25 + 2, await other.CountAsync()); // and its own entry
    }
}
