using System.Collections;
using TypedPyro.Naming;
using TypedPyro.Protocol;
using TypedPyro.Serialization;
using TypedPyro.Tests.Server.Pyro5;
using TypedPyro.Tests.Support;

namespace TypedPyro.Tests.Naming;

/// <summary>
/// <c>typedpyro ns</c>'s name server and Pyro5 clients: the recorded Pyro5 name server conversation replayed at ours
/// gets the recorded replies, our <see cref="NameServerClient"/> over Pyro5 against the recorded name server side sends
/// the same calls and reads the replies, and one name server answers Pyro4 and Pyro5 clients each with its own API.
/// </summary>
public sealed class Pyro5NameServerTests
{
    private const string Vector = "cap_nameserver_serpent";

    private static NameServerHost StartNameServer()
    {
        var ns = NameServerHost.Create(new NameServerHostOptions { Host = "127.0.0.1", Port = 0, EnableBroadcast = false, Config = NamingTestSupport.LoopbackConfig() });
        ns.Start();
        return ns;
    }

    private static PyroProxyOptions Pyro5() => new() { Protocol = 5, Timeout = TimeSpan.FromSeconds(30) };

    [Fact]
    public async Task The_recorded_Pyro5_client_gets_the_recorded_replies()
    {
        await using var ns = StartNameServer();
        string ours = ns.Uri.ToString();
        // The recording names its own name server's port, and Pyro5's class tag where ours registers itself with Pyro4's.
        object? Rewrite(object? value) => value switch
        {
            "PYRO:Pyro.NameServer@127.0.0.1:46507" => ours,
            "class:Pyro5.nameserver.NameServer" => NameServer.ClassMetadata,
            PyTuple t => new PyTuple([.. t.Select(Rewrite)]),
            ISet<object?> set => new HashSet<object?>(set.Select(Rewrite)),
            IDictionary map => RewriteMap(map),
            _ => value,
        };
        Dictionary<object, object?> RewriteMap(IDictionary map)
        {
            var copy = new Dictionary<object, object?>();
            foreach (DictionaryEntry entry in map) copy[entry.Key] = Rewrite(entry.Value);
            return copy;
        }
        int replies = await Pyro5Replay.ConversationAsync(Pyro5Vector.Load(Vector), ns.Uri.Port!.Value, Rewrite);
        Assert.Equal(16, replies);
    }

    [Fact]
    public async Task Our_client_against_the_recorded_name_server_makes_the_recorded_calls()
    {
        await using var daemon = new Pyro5RecordedDaemon(Pyro5Vector.Load(Vector));
        await using (var ns = new NameServerClient(PyroUri.Parse(daemon.Uri(NameServer.ObjectId)), Pyro5()))
        {
            await ns.PingAsync();
            await ns.RegisterAsync("example.one", "PYRO:one@10.0.0.1:1111", metadata: ["red", "blue"]);
            await ns.RegisterAsync("example.two", "PYRO:two@10.0.0.1:2222", safe: true);
            Assert.Equal("PYRO:one@10.0.0.1:1111", (await ns.LookupAsync("example.one")).ToString());
            var one = await ns.LookupWithMetadataAsync("example.one");
            Assert.Equal(["blue", "red"], one.Metadata.Order());
            Assert.Equal(3, (await ns.ListAsync()).Count);
            Assert.Equal(["example.one", "example.two"], (await ns.ListAsync(prefix: "example.")).Keys.Order());
            var all = await ns.ListWithMetadataAsync();
            Assert.Empty(all.Single(r => r.Name == "example.two").Metadata);
            Assert.Equal("example.one", (await ns.ListWithMetadataAsync(metadataAll: ["red"])).Single().Name);
            Assert.Equal("example.one", (await ns.ListWithMetadataAsync(metadataAny: ["green", "blue"])).Single().Name);
            await ns.SetMetadataAsync("example.two", ["green"]);
            Assert.Equal(3, await ns.CountAsync());
            Assert.Equal(1, await ns.RemoveAsync("example.two"));
            Assert.Equal(1, await ns.RemoveAsync(prefix: "example."));
            var e = await Assert.ThrowsAsync<NamingException>(() => ns.LookupAsync("no.such.name"));
            Assert.Equal("unknown name: no.such.name", e.Message);
        }
        await daemon.Completion.WaitAsync(TimeSpan.FromSeconds(30));
        // Python's proxy passed some arguments by keyword; ours passes them by position: the calls bind alike.
        Assert.Equal(daemon.Expected.Count, daemon.Received.Count);
        for (int i = 0; i < daemon.Expected.Count; i++)
        {
            var expected = await Pyro5Codec.ReadAsync(new MemoryStream(daemon.Expected[i].Bytes), MessageCodec.AnyType, MessageSecurity.None);
            var actual = await Pyro5Codec.ReadAsync(new MemoryStream(daemon.Received[i]), MessageCodec.AnyType, MessageSecurity.None);
            Assert.Equal((expected.Type, expected.Sequence, expected.SerializerId), (actual.Type, actual.Sequence, actual.SerializerId));
            var e = Pyro5Serializers.Find(expected.SerializerId)!.Deserialize(expected.GetSerializedData().Span);
            var a = Pyro5Serializers.Find(actual.SerializerId)!.Deserialize(actual.GetSerializedData().Span);
            if (expected.Type == MessageType.Connect) Assert.Equal(e, a, PyValueComparer.Instance);
            else Assert.True(PyValueComparer.Instance.Equals(Bound(e), Bound(a)), $"call {i}: expected {PythonRepr.Format(e)}, got {PythonRepr.Format(a)}");
        }
    }

    // Python's parameters of Pyro5's name server methods, with their defaults.
    private static readonly Dictionary<string, (string Name, object? Default)[]> Parameters = new()
    {
        ["ping"] = [],
        ["count"] = [],
        ["register"] = [("name", null), ("uri", null), ("safe", false), ("metadata", null)],
        ["lookup"] = [("name", null), ("return_metadata", false)],
        ["list"] = [("prefix", null), ("regex", null), ("return_metadata", false)],
        ["yplookup"] = [("meta_all", null), ("meta_any", null), ("return_metadata", true)],
        ["set_metadata"] = [("name", null), ("metadata", null)],
        ["remove"] = [("name", null), ("prefix", null), ("regex", null)],
    };

    /// <summary>An INVOKE payload (object, method, vargs, kwargs) as object, method and every parameter's bound value.</summary>
    private static Dictionary<object, object?> Bound(object? payload)
    {
        var call = (IReadOnlyList<object?>)payload!;
        string method = (string)call[1]!;
        var vargs = (IReadOnlyList<object?>)call[2]!;
        var kwargs = (IDictionary)call[3]!;
        var bound = new Dictionary<object, object?> { ["object"] = call[0], ["method"] = method };
        var parameters = Parameters[method];
        for (int p = 0; p < parameters.Length; p++)
            bound[parameters[p].Name] = p < vargs.Count ? vargs[p] : kwargs.Contains(parameters[p].Name) ? kwargs[parameters[p].Name] : parameters[p].Default;
        return bound;
    }

    [Fact]
    public async Task One_name_server_answers_Pyro4_and_Pyro5_clients_each_with_its_own_API()
    {
        await using var ns = StartNameServer();
        var uri = ns.Uri.ToString();
        await using var pyro4 = new PyroProxy(uri, new PyroProxyOptions { Timeout = TimeSpan.FromSeconds(30) });
        await using var pyro5 = new PyroProxy(uri, Pyro5());
        await pyro4.InvokeAsync("register", ["a.red", "PYRO:r@h:1", false, new HashSet<object?> { "red" }]);
        await pyro5.InvokeAsync("register", ["a.plain", "PYRO:p@h:2"]);

        // The metadata each sees: Pyro5's has yplookup, Pyro4's does not (also through the Pyro.Daemon object).
        await pyro4.InvokeAsync("ping");
        await pyro5.InvokeAsync("ping");
        Assert.DoesNotContain("yplookup", pyro4.Metadata!.Methods);
        Assert.Contains("yplookup", pyro5.Metadata!.Methods);
        await using var daemon5 = new PyroProxy($"PYRO:Pyro.Daemon@127.0.0.1:{ns.Uri.Port}", Pyro5());
        Assert.Contains("yplookup", PyroObjectMetadata.FromWireValue(await daemon5.InvokeAsync("get_metadata", [NameServer.ObjectId])).Methods);
        var e4 = await Assert.ThrowsAnyAsync<Exception>(() => pyro4.InvokeAsync("yplookup", [new HashSet<object?> { "red" }]));
        Assert.Contains("yplookup", e4.Message);

        // list: Pyro4's third argument is metadata_all, Pyro5's is return_metadata (with the metadata as a set).
        var byTag = (IDictionary)(await pyro4.InvokeAsync("list", [null, null, new List<object?> { "red" }]))!;
        Assert.Equal(["a.red"], byTag.Keys.Cast<string>());
        var withMeta = (IDictionary)(await pyro5.InvokeAsync("list", ["a.", null, true]))!;
        Assert.Equal(2, withMeta.Count);
        var red = (IReadOnlyList<object?>)withMeta["a.red"]!;
        Assert.Equal("PYRO:r@h:1", red[0]);
        Assert.Equal(new HashSet<object?> { "red" }, Assert.IsAssignableFrom<ISet<object?>>(red[1]));
        var tooMany = await Assert.ThrowsAsync<ArgumentTypeException>(() => pyro5.InvokeAsync("list", [null, null, null, null, false]));
        Assert.Contains("takes 3 positional arguments but 5 were given", tooMany.Message);

        // yplookup: the metadata search, with the metadata by default; Pyro5's own argument checks.
        var found = (IDictionary)(await pyro5.InvokeAsync("yplookup", [null, new List<object?> { "red", "blue" }]))!;
        Assert.Equal("PYRO:r@h:1", ((IReadOnlyList<object?>)found["a.red"]!)[0]);
        var plain = (IDictionary)(await pyro5.InvokeAsync("yplookup", [new List<object?> { "red" }], new Dictionary<string, object?> { ["return_metadata"] = false }))!;
        Assert.Equal("PYRO:r@h:1", plain["a.red"]);
        Assert.Empty((IDictionary)(await pyro5.InvokeAsync("yplookup"))!);
        var both = await Assert.ThrowsAsync<ArgumentException>(() => pyro5.InvokeAsync("yplookup", [new List<object?> { "a" }, new List<object?> { "b" }]));
        Assert.Equal("you can't use meta_all or meta_any at the same time", both.Message);
        var str = await Assert.ThrowsAsync<ArgumentTypeException>(() => pyro5.InvokeAsync("yplookup", ["red"]));
        Assert.Equal("metadata_all should not be a str, but another iterable (set, list, etc)", str.Message);
        var filters = await Assert.ThrowsAsync<ArgumentException>(() => pyro5.InvokeAsync("list", ["a.", "a.*"]));
        Assert.Equal("you can only filter on one thing at a time", filters.Message);

        // lookup with metadata: Pyro4 gives a list, Pyro5 a set.
        var lookup4 = (IReadOnlyList<object?>)(await pyro4.InvokeAsync("lookup", ["a.red", true]))!;
        Assert.IsAssignableFrom<IList>(lookup4[1]);
        var lookup5 = (IReadOnlyList<object?>)(await pyro5.InvokeAsync("lookup", ["a.red", true]))!;
        Assert.Equal("PYRO:r@h:1", PyroUri.FromWireValue(lookup5[0]).ToString());
        Assert.IsAssignableFrom<ISet<object?>>(lookup5[1]);

        // remove: Pyro5 stops at a name that is not registered, Pyro4 goes on to the prefix.
        Assert.Equal(0L, await pyro5.InvokeAsync("remove", ["no.such", "a."]));
        Assert.Equal(3L, await pyro5.InvokeAsync("count"));
        Assert.Equal(2L, await pyro4.InvokeAsync("remove", ["no.such", "a."]));
        Assert.Equal(0L, await pyro5.InvokeAsync("remove", [NameServer.ObjectId]));
        Assert.Equal(1L, await pyro5.InvokeAsync("count"));
    }

    [Fact]
    public async Task Our_Pyro5_client_uses_every_method_of_our_name_server()
    {
        await using var host = StartNameServer();
        await using var ns = await NameServerLocator.LocateAsync("127.0.0.1", host.Uri.Port, broadcast: false, options: Pyro5());
        Assert.Equal(5, ns.Proxy.Protocol);
        await ns.PingAsync();
        await ns.RegisterAsync("svc.one", PyroUri.Parse("PYRO:one@10.0.0.1:1111"), metadata: ["red", "blue"]);
        await ns.RegisterAsync("svc.two", "PYRO:two@10.0.0.1:2222");
        await Assert.ThrowsAsync<NamingException>(() => ns.RegisterAsync("svc.two", "PYRO:x@h:1", safe: true));
        Assert.Equal("PYRO:one@10.0.0.1:1111", (await ns.LookupAsync("svc.one")).ToString());
        Assert.Equal(["blue", "red"], (await ns.LookupWithMetadataAsync("svc.one")).Metadata.Order());
        Assert.Equal(["svc.one", "svc.two"], (await ns.ListAsync(prefix: "svc.")).Keys.Order());
        Assert.Equal(["svc.two"], (await ns.ListAsync(regex: @"svc\.t")).Keys);
        Assert.Equal(["svc.one"], (await ns.ListAsync(metadataAll: ["red", "blue"])).Keys);
        Assert.Equal(["svc.one"], (await ns.ListWithMetadataAsync(metadataAny: ["blue", "green"])).Select(r => r.Name));
        await Assert.ThrowsAsync<ArgumentException>(() => ns.ListAsync(prefix: "svc.", metadataAll: ["red"]));
        await ns.SetMetadataAsync("svc.two", ["green"]);
        Assert.Equal(["green"], (await ns.LookupWithMetadataAsync("svc.two")).Metadata);
        Assert.Equal(3, await ns.CountAsync());
        Assert.Equal(0, await ns.RemoveAsync("svc.none", prefix: "svc."));
        Assert.Equal(2, await ns.RemoveAsync(prefix: "svc."));
        await Assert.ThrowsAsync<NamingException>(() => ns.LookupAsync("svc.one"));
        // A PYRONAME: URI on a Pyro5 proxy is resolved through the name server over Pyro5.
        await ns.RegisterAsync("svc.daemon", $"PYRO:Pyro.Daemon@127.0.0.1:{host.Uri.Port}");
        await using var byName = new PyroProxy($"PYRONAME:svc.daemon@127.0.0.1:{host.Uri.Port}", Pyro5());
        Assert.Null(await byName.InvokeAsync("ping"));
        Assert.Equal(5, byName.Protocol);
    }
}
