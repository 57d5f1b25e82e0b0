using TypedPyro.Naming;
using TypedPyro.Serialization;

namespace TypedPyro.Tests.Naming;

/// <summary>What <see cref="NameServerClient.LookupAsync"/> puts on the wire, seen by a stand-in name server.</summary>
public sealed class NameServerClientLookupTests : IAsyncLifetime
{
    private readonly PyroDaemon _daemon = new(new PyroDaemonOptions { Host = "127.0.0.1" });
    private readonly List<(int Positional, int Keywords)> _lookups = [];
    private PyroUri _nameServerUri = null!;

    public Task InitializeAsync()
    {
        var registered = new PyroUri("t.echo", "127.0.0.1", 45678);
        _nameServerUri = _daemon.Register(new PyroObjectBuilder(NameServer.TypeName)
            .Method("lookup", call =>
            {
                lock (_lookups) _lookups.Add((call.Args.Count, call.Kwargs?.Count ?? 0));
                return call.Arg(0, "name") is "t.echo" ? registered : throw new NamingException("unknown name: " + call.Arg(0, "name"));
            })
            .Build(), NameServer.ObjectId);
        _daemon.Start();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _daemon.DisposeAsync();

    [Fact]
    public async Task A_lookup_sends_the_name_alone_as_pythons_proxies_do()
    {
        await using var client = new NameServerClient(_nameServerUri);
        var uri = await client.LookupAsync("t.echo");
        Assert.Equal("PYRO:t.echo@127.0.0.1:45678", uri.ToString());
        // Python's proxy sends lookup(name): no return_metadata keyword, which costs a dictionary on both sides.
        Assert.Equal([(1, 0)], _lookups);
    }

    [Fact]
    public async Task A_lookup_of_an_unknown_name_raises_the_name_servers_error()
    {
        await using var client = new NameServerClient(_nameServerUri);
        var error = await Assert.ThrowsAsync<NamingException>(() => client.LookupAsync("t.missing"));
        Assert.Equal("unknown name: t.missing", error.Message);
    }
}
