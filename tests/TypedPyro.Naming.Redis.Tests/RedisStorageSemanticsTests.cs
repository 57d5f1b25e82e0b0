using TypedPyro.Naming.Redis.Tests.Support;

namespace TypedPyro.Naming.Redis.Tests;

/// <summary>
/// The name server over Redis behaves as over memory: one script of Python's operations (register with safe, remove by
/// name, prefix and regex, list by prefix, regex and metadata all/any, lookup with metadata, set_metadata, count) run
/// on both, every answer and every error compared.
/// </summary>
public sealed class RedisStorageSemanticsTests : IDisposable
{
    private readonly RedisServer _redis = RedisServer.Start();

    public void Dispose() => _redis.Dispose();

    private static readonly Func<NameServer, object?>[] Script =
    [
        ns => { ns.Register(NameServer.ObjectId, "PYRO:Pyro.NameServer@127.0.0.1:9999", metadata: [NameServer.ClassMetadata]); return null; },
        ns => { ns.Register("app.one", "PYRO:1@h:1", metadata: ["a", "b"]); return null; },
        ns => { ns.Register("app.two", "PYRO:2@h:1", metadata: ["b"]); return null; },
        ns => { ns.Register("App.three", "PYRO:3@h:1", metadata: ["c", "ünï ☃"]); return null; },
        ns => { ns.Register("other", "pyro:4@h:1"); return null; },
        ns => { ns.Register("a_b", "PYRO:5@h:1"); return null; },
        ns => { ns.Register("app.one", "PYRO:clash@h:2", safe: true); return null; },
        ns => { ns.Register("fresh", "PYRO:6@h:1", safe: true, metadata: ["d"]); return null; },
        ns => { ns.Register("bad", "not a uri"); return null; },
        ns => ns.Count(),
        ns => ns.Lookup("app.one"),
        ns => ns.Lookup("other"),
        ns => ns.Lookup("nope"),
        ns => ns.LookupRegistration("App.three"),
        ns => ns.LookupRegistration(NameServer.ObjectId),
        ns => ns.List(),
        ns => ns.List(prefix: "app."),
        ns => ns.List(prefix: "a_"),
        ns => ns.List(regex: "app"),
        ns => ns.List(regex: @"(?P<x>app)\.one\Z"),
        ns => ns.List(regex: "("),
        ns => ns.List(metadataAny: ["a", "b"]),
        ns => ns.List(metadataAll: ["a", "b"]),
        ns => ns.List(metadataAll: ["ünï ☃"]),
        ns => ns.List(metadataAll: []),
        ns => ns.List(prefix: "a", regex: "b"),
        ns => { ns.SetMetadata("app.two", ["x", "y"]); return ns.LookupRegistration("app.two"); },
        ns => { ns.SetMetadata("app.two", null); return ns.LookupRegistration("app.two"); },
        ns => { ns.SetMetadata("nope", ["x"]); return null; },
        ns => ns.Remove(NameServer.ObjectId),
        ns => ns.Remove("nope"),
        ns => ns.Remove("a_b"),
        ns => ns.Remove(regex: "Pyro"),
        ns => ns.Remove(prefix: "Pyro."),
        ns => ns.Remove(regex: "app"),
        ns => ns.Remove(name: "nope", prefix: "oth"),
        ns => ns.Remove(),
        ns => ns.List(),
        ns => ns.Count(),
    ];

    [Fact]
    public void Every_operation_answers_as_with_memory_storage()
    {
        using var memory = new NameServer(new MemoryNameServerStorage());
        using var redis = new NameServer(_redis.OpenStorage());
        var expected = Script.Select(step => Outcome(memory, step)).ToList();
        var actual = Script.Select(step => Outcome(redis, step)).ToList();
        Assert.Equal(expected, actual);
        // The script means something: it hit errors, filters and removals, not only empty answers.
        Assert.Contains("NamingException: name already registered: app.one", actual);
        Assert.Contains("NamingException: invalid regex: missing ), unterminated subpattern at position 0", actual);
        Assert.Contains("ArgumentException: you can only filter on one thing at a time", actual);
        Assert.Contains("App.three|PYRO:3@h:1|c,ünï ☃", actual);
        Assert.Equal("3", actual[^1]); // Pyro.NameServer, App.three, fresh
    }

    [Fact]
    public void A_huge_metadata_set_survives_the_round_trip()
    {
        using var ns = new NameServer(_redis.OpenStorage());
        var tags = Enumerable.Range(0, 20_000).Select(i => "tag" + i).ToList();
        ns.Register("big", "PYRO:big@h:1", metadata: tags);
        Assert.Equal(20_000, ns.LookupRegistration("big").Metadata.Count);
        Assert.Equal(["big"], ns.List(metadataAny: ["tag19999", "zzz"]).Select(r => r.Name));
    }

    // An answer as text: values, sorted registrations, or the exception's type and message.
    private static string Outcome(NameServer ns, Func<NameServer, object?> step)
    {
        try
        {
            return step(ns) switch
            {
                null => "ok",
                IReadOnlyList<NameRegistration> list => string.Join(";", list.Select(Describe).Order(StringComparer.Ordinal)),
                NameRegistration registration => Describe(registration),
                var value => value.ToString() ?? "",
            };
        }
        catch (PyroException e)
        {
            return e.GetType().Name + ": " + e.Message;
        }
        catch (ArgumentException e)
        {
            return "ArgumentException: " + e.Message;
        }
    }

    private static string Describe(NameRegistration r) => $"{r.Name}|{r.Uri}|{string.Join(",", r.Metadata.Order(StringComparer.Ordinal))}";
}
