using TypedPyro.Naming.Redis.Tests.Support;

namespace TypedPyro.Naming.Redis.Tests;

/// <summary>NS_HOST as a comma list: PYRONAME resolution and the locator go on to the next name server when one is down.</summary>
public sealed class FailoverTests : IDisposable
{
    private readonly RedisServer _redis = RedisServer.Start();

    public void Dispose() => _redis.Dispose();

    private static PyroProxyOptions Options(string nsHost) => new()
    {
        Config = new PyroConfig().With(c =>
        {
            c.NsHost = nsHost;
            c.NsBcPort = RedisServer.FreeTcpPort(); // nobody answers a broadcast there
            c.BroadcastAddrs = "127.255.255.255";
        }),
    };

    [Fact]
    public async Task Pyroname_resolution_skips_a_dead_name_server_and_uses_the_next_in_ns_host()
    {
        int dead = RedisServer.FreeTcpPort();
        await using var a = SharedNameServers.Start(_redis);
        await using var b = SharedNameServers.Start(_redis);
        using (var client = SharedNameServers.Client(a))
        {
            await client.RegisterAsync("svc", "PYRO:svc@127.0.0.1:4242");
        }
        var options = Options($"127.0.0.1:{dead}, 127.0.0.1:{b.Uri.Port},127.0.0.1:{a.Uri.Port}");
        Assert.Equal("PYRO:svc@127.0.0.1:4242", (await NameServerLocator.ResolveAsync(PyroUri.Parse("PYRONAME:svc"), options)).ToString());
        await using (var located = await NameServerLocator.LocateAsync(options: options))
        {
            Assert.Equal(b.Uri.Port, located.Uri.Port); // the first live one, in order
        }

        await b.DisposeAsync();
        Assert.Equal("PYRO:svc@127.0.0.1:4242", (await NameServerLocator.ResolveAsync(PyroUri.Parse("PYRONAME:svc"), options)).ToString());
        await using (var located = await NameServerLocator.LocateAsync(options: options))
        {
            Assert.Equal(a.Uri.Port, located.Uri.Port);
        }
        // An explicit list works as well (no broadcast then).
        await using (var located = await NameServerLocator.LocateAsync($"127.0.0.1:{dead},127.0.0.1:{a.Uri.Port}"))
        {
            Assert.Equal(a.Uri.Port, located.Uri.Port);
        }
    }

    [Fact]
    public async Task With_every_name_server_down_the_locator_fails_as_python_does()
    {
        var options = Options($"127.0.0.1:{RedisServer.FreeTcpPort()},127.0.0.1:{RedisServer.FreeTcpPort()}");
        var e = await Assert.ThrowsAsync<NamingException>(() => NameServerLocator.LocateAsync(options: options));
        Assert.Equal("Failed to locate the nameserver", e.Message);
        Assert.IsType<CommunicationException>(e.InnerException);

        var bad = await Assert.ThrowsAsync<NamingException>(() => NameServerLocator.LocateAsync(options: Options("127.0.0.1:x,127.0.0.1:1")));
        Assert.Equal("invalid name server address '127.0.0.1:x' in NS_HOST: the port must be a number from 1 to 65535", bad.Message);
    }
}
