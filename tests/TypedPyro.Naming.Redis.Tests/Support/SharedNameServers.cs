namespace TypedPyro.Naming.Redis.Tests.Support;

/// <summary>Name servers in this process on loopback free ports, each over its own connection to one Redis.</summary>
internal static class SharedNameServers
{
    public static NameServerHost Start(RedisServer redis, int port = 0)
    {
        var host = NameServerHost.Create(new NameServerHostOptions
        {
            Host = "127.0.0.1",
            Port = port,
            EnableBroadcast = false,
            StorageProvider = redis.OpenStorage(),
        });
        host.Start();
        return host;
    }

    public static NameServerClient Client(NameServerHost host) => new(host.Uri);
}
