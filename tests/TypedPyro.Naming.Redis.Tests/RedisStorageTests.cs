using TypedPyro.Naming.Redis.Tests.Support;

namespace TypedPyro.Naming.Redis.Tests;

/// <summary>The storage's own promises: shared between instances, atomic conditional updates, the lease, errors.</summary>
public sealed class RedisStorageTests : IDisposable
{
    private readonly RedisServer _redis = RedisServer.Start();

    public void Dispose() => _redis.Dispose();

    [Fact]
    public void Two_instances_share_names_but_each_keeps_its_own_name_server_entry()
    {
        using var a = _redis.OpenStorage();
        using var b = _redis.OpenStorage();
        a.Set(new NameRegistration(NameServer.ObjectId, "PYRO:Pyro.NameServer@127.0.0.1:1"));
        b.Set(new NameRegistration(NameServer.ObjectId, "PYRO:Pyro.NameServer@127.0.0.1:2"));
        a.Set(new NameRegistration("shared", "PYRO:x@h:1", ["t"]));
        Assert.True(b.TryGet("shared", out var seen));
        Assert.Equal("PYRO:x@h:1", seen.Uri);
        Assert.Equal(["t"], seen.Metadata);
        Assert.True(a.TryGet(NameServer.ObjectId, out var own));
        Assert.Equal("PYRO:Pyro.NameServer@127.0.0.1:1", own.Uri);
        Assert.True(b.TryGet(NameServer.ObjectId, out own));
        Assert.Equal("PYRO:Pyro.NameServer@127.0.0.1:2", own.Uri);
        Assert.Equal(2, a.Count);
        Assert.Equal(2, b.ListAll().Count);
    }

    [Fact]
    public void Safe_registration_of_one_name_from_many_threads_and_instances_has_one_winner()
    {
        using var a = _redis.OpenStorage();
        using var b = _redis.OpenStorage();
        using var nsA = new NameServer(a);
        using var nsB = new NameServer(b);
        int winners = 0;
        Parallel.For(0, 40, i =>
        {
            try
            {
                (i % 2 == 0 ? nsA : nsB).Register("contested", $"PYRO:o{i}@h:1", safe: true);
                Interlocked.Increment(ref winners);
            }
            catch (NamingException e) when (e.Message == "name already registered: contested")
            {
            }
        });
        Assert.Equal(1, winners);
    }

    [Fact]
    public void Set_metadata_keeps_the_uri_and_remove_if_uri_spares_a_new_registration()
    {
        using var storage = _redis.OpenStorage();
        storage.Set(new NameRegistration("n", "PYRO:ünï@h:1", ["old"]));
        Assert.True(storage.TrySetMetadata("n", new HashSet<string> { "new", "two" }));
        Assert.True(storage.TryGet("n", out var r));
        Assert.Equal("PYRO:ünï@h:1", r.Uri);
        Assert.Equal(["new", "two"], r.Metadata.Order(StringComparer.Ordinal));
        Assert.False(storage.TrySetMetadata("missing", new HashSet<string>()));

        Assert.False(storage.RemoveIfUri("n", "PYRO:other@h:1"));
        Assert.True(storage.Contains("n"));
        Assert.True(storage.RemoveIfUri("n", "PYRO:ünï@h:1"));
        Assert.False(storage.Contains("n"));
    }

    [Fact]
    public void The_lease_has_one_holder_until_it_lapses()
    {
        using var a = _redis.OpenStorage();
        using var b = _redis.OpenStorage();
        Assert.True(a.TryHoldLease("autoclean", "A", TimeSpan.FromMilliseconds(600)));
        Assert.False(b.TryHoldLease("autoclean", "B", TimeSpan.FromMilliseconds(600)));
        Assert.True(a.TryHoldLease("autoclean", "A", TimeSpan.FromMilliseconds(600))); // renewal
        Thread.Sleep(900);
        Assert.True(b.TryHoldLease("autoclean", "B", TimeSpan.FromSeconds(10)));
        Assert.False(a.TryHoldLease("autoclean", "A", TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public void Key_prefixes_keep_registries_apart()
    {
        using var one = _redis.OpenStorage("one:");
        using var two = _redis.OpenStorage("two:");
        one.Set(new NameRegistration("n", "PYRO:x@h:1"));
        Assert.False(two.Contains("n"));
        Assert.Equal(0, two.Count);
    }

    [Fact]
    public void An_unreachable_redis_at_start_is_one_line_naming_the_address()
    {
        int port = RedisServer.FreeTcpPort();
        var e = Assert.Throws<NamingException>(() => RedisNameServerStorage.Open($"redis://127.0.0.1:{port}"));
        Assert.StartsWith($"cannot reach redis at 127.0.0.1:{port}: ", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void A_redis_down_while_running_fails_calls_with_naming_exception_and_recovers_when_back()
    {
        using var ns = new NameServer(_redis.OpenStorage());
        ns.Register("before", "PYRO:b@h:1");
        _redis.Kill();
        var down = Assert.Throws<NamingException>(() => ns.Lookup("before"));
        Assert.Contains($"127.0.0.1:{_redis.Port}", down.Message);
        Assert.Throws<NamingException>(() => ns.Register("during", "PYRO:d@h:1"));
        _redis.Restart(); // no persistence here: an empty registry, but a working one
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            try
            {
                ns.Register("after", "PYRO:a@h:1");
                break;
            }
            catch (NamingException) when (DateTime.UtcNow < deadline)
            {
                Thread.Sleep(100);
            }
        }
        Assert.Equal("PYRO:a@h:1", ns.Lookup("after").ToString());
    }

    [Fact]
    public void A_key_of_another_type_is_refused_at_start()
    {
        using (var storage = _redis.OpenStorage("clash:"))
        {
            // A plain string at "clash:lease:xnames": where a registry with prefix "clash:lease:x" keeps its hash.
            Assert.True(storage.TryHoldLease("xnames", "me", TimeSpan.FromMinutes(1)));
        }
        var e = Assert.Throws<NamingException>(() => _redis.OpenStorage("clash:lease:x"));
        Assert.StartsWith($"cannot use redis at 127.0.0.1:{_redis.Port}: WRONGTYPE", e.Message);
    }
}
