using System.Collections;
using System.Text;
using TypedPyro.Naming;
using TypedPyro.Protocol;
using TypedPyro.Serialization;
using TypedPyro.Tests.Support;

namespace TypedPyro.Tests.Naming;

/// <summary>The name server object on the wire: a real daemon on loopback, untyped and typed clients, serpent and json.</summary>
public sealed class NameServerWireTests : IAsyncLifetime
{
    private NameServerHost _host = null!;

    public Task InitializeAsync()
    {
        _host = NameServerHost.Create(new NameServerHostOptions { Host = "127.0.0.1", Port = 0, Config = NamingTestSupport.LoopbackConfig() });
        _host.Start();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    public static TheoryData<SerializerId> Serializers => new() { SerializerId.Serpent, SerializerId.Json };

    private PyroProxyOptions Options(SerializerId serializer) => new() { Serializer = serializer, Timeout = TimeSpan.FromSeconds(10) };

    private static Dictionary<string, object?> Kw(params (string Key, object? Value)[] pairs) => pairs.ToDictionary(p => p.Key, p => p.Value);

    [Fact]
    public void The_name_server_registers_itself_like_python()
    {
        Assert.Equal("NameServer", _host.Daemon.RegisteredIds.Contains(NameServer.ObjectId) ? NameServer.TypeName : null);
        var self = _host.NameServer.LookupRegistration(NameServer.ObjectId);
        Assert.Equal(_host.Uri.ToString(), self.Uri);
        Assert.Equal([NameServer.ClassMetadata], self.Metadata);
        Assert.Equal("Not starting broadcast server for localhost.", _host.BroadcastNote);
        Assert.Null(_host.BroadcastServer);
    }

    [Theory]
    [MemberData(nameof(Serializers))]
    public async Task Untyped_calls_return_pythons_shapes(SerializerId serializer)
    {
        await using var proxy = new PyroProxy(_host.Uri, Options(serializer));
        await proxy.ConnectAsync();
        Assert.Equal(["count", "list", "lookup", "ping", "register", "remove", "set_metadata"], proxy.Metadata!.Methods.Order(StringComparer.Ordinal));
        Assert.Empty(proxy.Metadata.Oneway);
        Assert.Empty(proxy.Metadata.Attributes);

        Assert.Null(await proxy.InvokeAsync("ping"));
        Assert.Null(await proxy.InvokeAsync("register", ["t.echo", "PYRO:t.echo@127.0.0.1:45678"], Kw(("metadata", new HashSet<object?> { "red" }))));
        // register accepts a URI object too.
        Assert.Null(await proxy.InvokeAsync("register", ["t.uri", new PyroUri("t.uri", "127.0.0.1", 1)]));
        Assert.Equal(3L, await proxy.InvokeAsync("count"));

        var uri = await proxy.InvokeAsync("lookup", ["t.echo"]);
        var dict = Assert.IsAssignableFrom<IDictionary>(uri);
        Assert.Equal("Pyro4.core.URI", dict["__class__"]);
        Assert.Equal("PYRO:t.echo@127.0.0.1:45678", PyroUri.FromWireValue(uri).ToString());

        var withMeta = Assert.IsAssignableFrom<IEnumerable>(await proxy.InvokeAsync("lookup", ["t.echo"], Kw(("return_metadata", true)))).Cast<object?>().ToList();
        Assert.Equal(2, withMeta.Count);
        Assert.Equal(["red"], Assert.IsAssignableFrom<IEnumerable>(withMeta[1]).Cast<object?>());

        var list = Assert.IsAssignableFrom<IDictionary>(await proxy.InvokeAsync("list", [], Kw(("prefix", "t."))));
        Assert.Equal("PYRO:t.echo@127.0.0.1:45678", list["t.echo"]);
        Assert.Equal("PYRO:t.uri@127.0.0.1:1", list["t.uri"]);
        var listMeta = Assert.IsAssignableFrom<IDictionary>(await proxy.InvokeAsync("list", [], Kw(("metadata_any", new List<object?> { "red" }), ("return_metadata", true))));
        var entry = Assert.IsAssignableFrom<IEnumerable>(listMeta["t.echo"]).Cast<object?>().ToList();
        Assert.Equal("PYRO:t.echo@127.0.0.1:45678", entry[0]);
        Assert.Equal(1L, await proxy.InvokeAsync("remove", ["t.uri"]));
        Assert.Equal(0L, await proxy.InvokeAsync("remove", [], Kw(("regex", "^nothing"))));
    }

    [Theory]
    [MemberData(nameof(Serializers))]
    public async Task Bad_input_gets_pythons_errors_and_the_server_keeps_running(SerializerId serializer)
    {
        await using var proxy = new PyroProxy(_host.Uri, Options(serializer));
        await proxy.InvokeAsync("register", ["keep", "PYRO:keep@h:1"]);

        async Task<Exception> Fails(string method, object?[] args, Dictionary<string, object?>? kwargs = null)
            => await Assert.ThrowsAnyAsync<Exception>(() => proxy.InvokeAsync(method, args, kwargs));

        var e = await Fails("register", ["keep", "PYRO:other@h:2"], Kw(("safe", true)));
        Assert.IsType<NamingException>(e);
        Assert.Equal("name already registered: keep", e.Message);
        Assert.Equal("Pyro4.errors.NamingError", e.GetRemoteException()!.RemoteTypeName);

        e = await Fails("lookup", ["missing"]);
        Assert.Equal(("Pyro4.errors.NamingError", "unknown name: missing"), (e.GetRemoteException()!.RemoteTypeName, e.Message));
        e = await Fails("list", [], Kw(("prefix", "a"), ("regex", "b")));
        Assert.Equal(("builtins.ValueError", "you can only filter on one thing at a time"), (e.GetRemoteException()!.RemoteTypeName, e.Message));
        e = await Fails("list", [], Kw(("regex", "[")));
        Assert.Equal(("Pyro4.errors.NamingError", "invalid regex: unterminated character set at position 0"), (e.GetRemoteException()!.RemoteTypeName, e.Message));
        e = await Fails("register", ["x", "PYRO:x@h:1"], Kw(("metadata", "abc")));
        Assert.Equal(("builtins.TypeError", "metadata should not be a str, but another iterable (set, list, etc)"), (e.GetRemoteException()!.RemoteTypeName, e.Message));
        e = await Fails("list", [], Kw(("metadata_all", "abc")));
        Assert.Equal(("builtins.TypeError", "metadata_all should not be a str, but another iterable (set, list, etc)"), (e.GetRemoteException()!.RemoteTypeName, e.Message));
        e = await Fails("register", ["x", 42L]);
        Assert.Equal(("builtins.TypeError", "only URIs or strings can be registered"), (e.GetRemoteException()!.RemoteTypeName, e.Message));
        e = await Fails("register", [42L, "PYRO:x@h:1"]);
        Assert.Equal(("builtins.TypeError", "name must be a str"), (e.GetRemoteException()!.RemoteTypeName, e.Message));
        e = await Fails("register", ["x", "garbage"]);
        Assert.Equal(("Pyro4.errors.PyroError", "invalid uri"), (e.GetRemoteException()!.RemoteTypeName, e.Message));
        e = await Fails("register", ["x", "PYRO:x@h:1"], Kw(("metadata", 5L)));
        Assert.Equal(("builtins.TypeError", "'int' object is not iterable"), (e.GetRemoteException()!.RemoteTypeName, e.Message));
        e = await Fails("set_metadata", ["missing", new List<object?> { "a" }]);
        Assert.Equal("unknown name: missing", e.Message);
        e = await Fails("lookup", []);
        Assert.Equal("builtins.TypeError", e.GetRemoteException()!.RemoteTypeName);
        e = await Fails("nope", []);
        Assert.IsType<MissingMemberException>(e);

        Assert.Equal("PYRO:keep@h:1", PyroUri.FromWireValue(await proxy.InvokeAsync("lookup", ["keep"])).ToString());
        Assert.Equal(2L, await proxy.InvokeAsync("count"));
    }

    [Theory]
    [MemberData(nameof(Serializers))]
    public async Task Typed_client_round_trips(SerializerId serializer)
    {
        await using var ns = new NameServerClient(_host.Uri, Options(serializer));
        await ns.PingAsync();
        await ns.RegisterAsync("c.one", new PyroUri("one", "127.0.0.1", 1), metadata: ["a", "b"]);
        await ns.RegisterAsync("c.two", "PYRO:two@127.0.0.1:2");
        await Assert.ThrowsAsync<NamingException>(() => ns.RegisterAsync("c.two", "PYRO:two@127.0.0.1:3", safe: true));
        Assert.Equal(3, await ns.CountAsync());
        Assert.Equal("PYRO:one@127.0.0.1:1", (await ns.LookupAsync("c.one")).ToString());
        var registration = await ns.LookupWithMetadataAsync("c.one");
        Assert.Equal(["a", "b"], registration.Metadata.Order(StringComparer.Ordinal));
        Assert.Equal(new Dictionary<string, string> { ["c.one"] = "PYRO:one@127.0.0.1:1", ["c.two"] = "PYRO:two@127.0.0.1:2" }, await ns.ListAsync(prefix: "c."));
        Assert.Equal(["c.one"], (await ns.ListWithMetadataAsync(metadataAll: ["a", "b"])).Select(r => r.Name));
        Assert.Equal(["c.one"], (await ns.ListAsync(regex: @"c\.o")).Keys);
        await ns.SetMetadataAsync("c.two", ["z"]);
        Assert.Equal(["c.two"], (await ns.ListAsync(metadataAny: ["z", "q"])).Keys);
        await ns.SetMetadataAsync("c.two", null);
        Assert.Empty((await ns.LookupWithMetadataAsync("c.two")).Metadata);
        Assert.Equal(2, await ns.RemoveAsync(prefix: "c."));
        Assert.Equal(0, await ns.RemoveAsync("c.one"));
        Assert.Equal(1, await ns.CountAsync());
    }

    [Fact]
    public async Task A_huge_metadata_set_over_the_wire_is_accepted_and_the_server_stays_responsive()
    {
        await using var ns = new NameServerClient(_host.Uri, Options(SerializerId.Serpent));
        var tags = Enumerable.Range(0, 50_000).Select(i => "tag-" + i).ToList();
        await ns.RegisterAsync("huge", "PYRO:huge@127.0.0.1:1", metadata: tags);
        Assert.Equal(50_000, (await ns.LookupWithMetadataAsync("huge")).Metadata.Count);
        Assert.Equal(["huge"], (await ns.ListAsync(metadataAll: tags.Take(1000))).Keys);
        await using var other = new NameServerClient(_host.Uri, Options(SerializerId.Json));
        await other.PingAsync();
        Assert.Equal(2, await other.CountAsync());
    }

    public static TheoryData<string, string> VectorPairs => new()
    {
        { "msg_invoke_ns_lookup_meta_serpent", "msg_result_ns_lookup_meta_serpent" },
        { "msg_invoke_ns_lookup_serpent", "msg_result_ns_lookup_serpent" },
        { "msg_invoke_ns_list_serpent", "msg_result_ns_list_meta_serpent" },
        { "msg_invoke_ns_lookup_json", "msg_result_ns_lookup_json" },
    };

    [Theory]
    [MemberData(nameof(VectorPairs))]
    public async Task Results_match_pythons_bytes(string request, string reply)
    {
        using var ns = new NameServer();
        var dispatcher = NameServerDispatcher.Create(ns);
        var register = Vector.Load("msg_invoke_ns_register_serpent").Decoded.GetProperty("payload_text").GetString()!;
        var requestText = Vector.Load(request).Decoded.GetProperty("payload_text").GetString()!;
        var expected = Vector.Load(reply).Decoded.GetProperty("payload_text").GetString()!;
        var serializer = request.EndsWith("json", StringComparison.Ordinal) ? PyroSerializers.Json : PyroSerializers.Serpent;

        foreach (var (text, s) in new[] { (register, PyroSerializers.Serpent), (requestText, serializer) })
        {
            var call = s.DeserializeCall(Encoding.UTF8.GetBytes(text));
            var context = new PyroCallContext(null, 1, MessageFlags.None, s.Id, [], Guid.Empty);
            var result = await dispatcher.InvokeAsync(new PyroInvocation(call.Method, call.Args, call.Kwargs, context));
            if (ReferenceEquals(text, requestText)) Assert.Equal(expected, Encoding.UTF8.GetString(s.Serialize(result)));
        }
    }
}
