using TypedPyro.Naming;

namespace TypedPyro.Tests.Naming;

/// <summary>The name server's logic (Python's NameServer semantics) over both storages.</summary>
public sealed class NameServerTests
{
    public static TheoryData<string> Storages => new() { "memory", "sql" };

    private static (NameServer Ns, NamingTestSupport.TempFile File) Create(string kind)
    {
        var file = NamingTestSupport.TempDatabase();
        var ns = new NameServer(NamingTestSupport.CreateStorage(kind, file));
        ns.Register(NameServer.ObjectId, "PYRO:Pyro.NameServer@127.0.0.1:9999", metadata: [NameServer.ClassMetadata]);
        return (ns, file);
    }

    private static string[] Names(IReadOnlyList<NameRegistration> list) => [.. list.Select(r => r.Name).Order(StringComparer.Ordinal)];

    [Theory]
    [MemberData(nameof(Storages))]
    public void Register_lookup_and_metadata(string kind)
    {
        var (ns, file) = Create(kind);
        using var _ = file;
        using var __ = ns;
        ns.Register("test.echo", "PYRO:test.echo@127.0.0.1:45678", metadata: ["red", "class:demo.Echo"]);
        Assert.Equal(2, ns.Count());
        var uri = ns.Lookup("test.echo");
        Assert.Equal("PYRO:test.echo@127.0.0.1:45678", uri.ToString());
        var registration = ns.LookupRegistration("test.echo");
        Assert.Equal(["class:demo.Echo", "red"], registration.Metadata.Order(StringComparer.Ordinal));

        // The text is stored as registered (Python keeps the string); lookup returns it parsed.
        ns.Register("lower", "pyro:obj@host:1");
        Assert.Equal("pyro:obj@host:1", ns.List(prefix: "lower").Single().Uri);
        Assert.Equal("PYRO:obj@host:1", ns.Lookup("lower").ToString());

        ns.SetMetadata("test.echo", ["blue"]);
        Assert.Equal(["blue"], ns.LookupRegistration("test.echo").Metadata);
        ns.SetMetadata("test.echo", null);
        Assert.Empty(ns.LookupRegistration("test.echo").Metadata);

        Assert.Equal("unknown name: nope", Assert.Throws<NamingException>(() => ns.Lookup("nope")).Message);
        Assert.Equal("unknown name: nope", Assert.Throws<NamingException>(() => ns.SetMetadata("nope", ["x"])).Message);
    }

    [Theory]
    [MemberData(nameof(Storages))]
    public void Safe_registration_of_an_existing_name_fails_and_keeps_the_old_entry(string kind)
    {
        var (ns, file) = Create(kind);
        using var _ = file;
        using var __ = ns;
        ns.Register("a", "PYRO:one@h:1", metadata: ["m"]);
        var e = Assert.Throws<NamingException>(() => ns.Register("a", "PYRO:two@h:2", safe: true));
        Assert.Equal("name already registered: a", e.Message);
        Assert.Equal("PYRO:one@h:1", ns.Lookup("a").ToString());
        ns.Register("a", "PYRO:two@h:2");
        Assert.Equal("PYRO:two@h:2", ns.Lookup("a").ToString());
        Assert.Empty(ns.LookupRegistration("a").Metadata);
        Assert.Equal("invalid uri", Assert.Throws<PyroException>(() => ns.Register("b", "not a uri")).Message);
        Assert.False(ns.Storage.Contains("b"));
    }

    [Theory]
    [MemberData(nameof(Storages))]
    public void List_filters(string kind)
    {
        var (ns, file) = Create(kind);
        using var _ = file;
        using var __ = ns;
        ns.Register("app.one", "PYRO:1@h:1", metadata: ["a", "b"]);
        ns.Register("app.two", "PYRO:2@h:1", metadata: ["b"]);
        ns.Register("App.three", "PYRO:3@h:1", metadata: ["c"]);
        ns.Register("other", "PYRO:4@h:1");
        ns.Register("a_b", "PYRO:5@h:1");

        Assert.Equal(6, ns.List().Count);
        Assert.Equal(["app.one", "app.two"], Names(ns.List(prefix: "app.")));
        // An exact prefix, not SQL LIKE: no case folding, '_' is not a wildcard.
        Assert.Equal(["a_b"], Names(ns.List(prefix: "a_")));
        // re.match: anchored at the start only.
        Assert.Equal(["app.one", "app.two"], Names(ns.List(regex: "app")));
        Assert.Equal(["app.two"], Names(ns.List(regex: @"app\.t")));
        Assert.Empty(ns.List(regex: "one"));
        Assert.Equal(["App.three", "app.one", "app.two"], Names(ns.List(regex: "(?i)app")));
        Assert.Equal(["app.one"], Names(ns.List(regex: @"(?P<x>app)\.one\Z")));
        Assert.Equal(["app.one", "app.two"], Names(ns.List(metadataAny: ["a", "b"])));
        Assert.Equal(["app.one"], Names(ns.List(metadataAll: ["a", "b"])));
        Assert.Equal(["app.one", "app.two"], Names(ns.List(metadataAll: ["b", "b"])));
        Assert.Empty(ns.List(metadataAll: ["a", "c"]));

        // Python's falsy filters mean "no filter".
        Assert.Equal(6, ns.List(prefix: "").Count);
        Assert.Equal(6, ns.List(metadataAll: []).Count);

        var e = Assert.Throws<ArgumentException>(() => ns.List(prefix: "a", regex: "b"));
        Assert.Equal("you can only filter on one thing at a time", e.Message);
        Assert.Throws<ArgumentException>(() => ns.List(prefix: "", metadataAny: []));

        var bad = Assert.Throws<NamingException>(() => ns.List(regex: "("));
        Assert.Equal("invalid regex: missing ), unterminated subpattern at position 0", bad.Message);
        Assert.Equal(6, ns.Count());
    }

    [Theory]
    [MemberData(nameof(Storages))]
    public void Remove_never_removes_the_name_server_itself(string kind)
    {
        var (ns, file) = Create(kind);
        using var _ = file;
        using var __ = ns;
        ns.Register("x.1", "PYRO:1@h:1");
        ns.Register("x.2", "PYRO:2@h:1");
        ns.Register("y.1", "PYRO:3@h:1");
        Assert.Equal(0, ns.Remove(NameServer.ObjectId));
        Assert.Equal(0, ns.Remove("nope"));
        Assert.Equal(1, ns.Remove("y.1"));
        Assert.Equal(0, ns.Remove(regex: "Pyro"));
        Assert.Equal(0, ns.Remove(prefix: "Pyro."));
        Assert.Equal(2, ns.Remove(prefix: "x."));
        Assert.Equal(0, ns.Remove());
        // A name that does not exist falls through to the prefix, as in Python.
        ns.Register("z.1", "PYRO:1@h:1");
        Assert.Equal(1, ns.Remove(name: "nope", prefix: "z"));
        Assert.Equal(1, ns.Count());
        Assert.Equal("PYRO:Pyro.NameServer@127.0.0.1:9999", ns.Lookup(NameServer.ObjectId).ToString());
    }

    [Theory]
    [MemberData(nameof(Storages))]
    public void A_huge_metadata_set_is_stored_and_searchable(string kind)
    {
        var (ns, file) = Create(kind);
        using var _ = file;
        using var __ = ns;
        var tags = Enumerable.Range(0, 20_000).Select(i => "tag" + i).ToList();
        ns.Register("big", "PYRO:big@h:1", metadata: tags);
        Assert.Equal(20_000, ns.LookupRegistration("big").Metadata.Count);
        Assert.Equal(["big"], Names(ns.List(metadataAll: tags)));
        Assert.Equal(["big"], Names(ns.List(metadataAny: ["tag19999", "zzz"])));
        Assert.Equal(["big"], Names(ns.List(metadataAny: tags.Take(5000))));
    }

    [Fact]
    public void Concurrent_registrations_and_lookups_are_consistent()
    {
        using var ns = new NameServer();
        Parallel.For(0, 2000, i =>
        {
            ns.Register("n" + (i % 100), $"PYRO:o{i}@h:1");
            Assert.StartsWith("PYRO:o", ns.Lookup("n" + (i % 100)).ToString());
        });
        Assert.Equal(100, ns.Count());
    }
}
