using TypedPyro.Naming;
using TypedPyro.Naming.Redis;
using TypedPyro.Naming.Redis.Tests.Support;

namespace TypedPyro.Peers;

/// <summary>
/// Name server lookups by storage (issue 25): memory, SQLite and Redis, with one name server and with two sharing the
/// storage (one client on each, at once), next to Python's name server with memory and SQLite storage.
/// </summary>
internal static class NameServerStorages
{
    private const string Name = "bench.object";

    public static async Task RunAsync(Bench bench)
    {
        using var redis = RedisServer.Start(appendOnly: false);
        var folder = Directory.CreateTempSubdirectory("typedpyro-ns-bench-").FullName;
        try
        {
            string sqlFile = Path.Combine(folder, "names.sqlite");
            await OneAndTwoAsync(bench, "memory", () => new MemoryNameServerStorage(), shared: false);
            await OneAndTwoAsync(bench, "sql", () => new SqliteNameServerStorage(sqlFile), shared: true);
            await OneAndTwoAsync(bench, "redis", () => redis.OpenStorage(), shared: true);
            foreach (var storage in new[] { "memory", "sql:" + Path.Combine(folder, "python.sqlite") })
            {
                int port = Peers.FreePort();
                var (python, _) = await Peers.StartPython(@"^URI = (\S+)", "-m", "Pyro4.naming", "-n", "127.0.0.1", "-p", port.ToString(), "-x", "-s", storage);
                try
                {
                    await using var ns = new NameServerClient(new PyroUri(PyroNames.NameServerObjectId, "127.0.0.1", port));
                    await ns.RegisterAsync(Name, "PYRO:bench.object@127.0.0.1:1");
                    var l = await Measure.Sequential(() => ns.LookupAsync(Name), bench.Duration, bench.WarmUp);
                    bench.Add(new(Workloads.NameServer, $"1 client -> Python NS ({storage.Split(':')[0]} storage)", l.PerSecond, l.P50, l.P99));
                }
                finally
                {
                    Peers.Stop(python);
                }
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    // One name server and one client; then two clients at once, on one name server (memory) or on two sharing the storage.
    private static async Task OneAndTwoAsync(Bench bench, string kind, Func<INameServerStorage> open, bool shared)
    {
        await using var first = Start(open());
        await using var second = shared ? Start(open()) : null;
        await using var a = new NameServerClient(first.Uri);
        await using var b = new NameServerClient((second ?? first).Uri);
        await a.RegisterAsync(Name, "PYRO:bench.object@127.0.0.1:1");
        var l = await Measure.Sequential(() => a.LookupAsync(Name), bench.Duration, bench.WarmUp);
        bench.Add(new(Workloads.NameServer, $"1 client -> 1 TypedPyro NS ({kind} storage)", l.PerSecond, l.P50, l.P99));
        double both = await Measure.Concurrent([() => a.LookupAsync(Name), () => b.LookupAsync(Name)], bench.Duration, bench.WarmUp);
        bench.Add(new(Workloads.NameServer, shared ? $"2 clients -> 2 TypedPyro NS ({kind} storage, shared)" : $"2 clients -> 1 TypedPyro NS ({kind} storage)", both));
    }

    private static NameServerHost Start(INameServerStorage storage)
    {
        var host = NameServerHost.Create(new NameServerHostOptions { Host = "127.0.0.1", Port = 0, EnableBroadcast = false, StorageProvider = storage });
        host.Start();
        return host;
    }
}
