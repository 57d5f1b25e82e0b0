using TypedPyro.Naming;

namespace TypedPyro.Peers;

/// <summary>Name server lookups: TypedPyro's and Python's name servers, each asked by a TypedPyro and a Python client.</summary>
internal static class NameServers
{
    public static async Task RunAsync(Bench bench)
    {
        await using var nameServer = NameServerHost.Create(new NameServerHostOptions { Host = "127.0.0.1", Port = 0, EnableBroadcast = false });
        nameServer.Start();
        var (pythonNs, pythonNsUri, _) = await StartPythonAsync();
        try
        {
            foreach (var (peer, nsUri) in new[] { ("TypedPyro client -> TypedPyro NS", nameServer.Uri), ("TypedPyro client -> Python NS", pythonNsUri) })
            {
                if (!bench.Wants(Workloads.NameServer, peer)) continue;
                await using var ns = new NameServerClient(nsUri);
                await ns.RegisterAsync("bench.object", "PYRO:bench.object@127.0.0.1:1");
                var l = await Measure.Sequential(() => ns.LookupAsync("bench.object"), bench.Duration, bench.WarmUp);
                bench.Add(new(Workloads.NameServer, peer, l.PerSecond, l.P50, l.P99));
            }
            foreach (var (peer, nsUri) in new[] { ("Python client -> TypedPyro NS", nameServer.Uri), ("Python client -> Python NS", pythonNsUri) })
            {
                if (!bench.Wants(Workloads.NameServer, peer)) continue;
                var py = await Peers.RunPython(PythonScripts.LookupClient, nsUri.ToString(), bench.Seconds, bench.WarmUpSeconds);
                bench.Add(new(Workloads.NameServer, peer, py[0]));
            }
            // A name server's capacity: Bench.Clients clients at once. One client's sequential lookups are bounded by
            // the loopback round trip (raw blocking ping-pong), which caps any ratio over a fast single-client figure.
            const string together = "TypedPyro clients -> TypedPyro NS (8 clients)";
            if (bench.Wants(Workloads.NameServer, together))
            {
                var clients = new List<NameServerClient>();
                for (int i = 0; i < Bench.Clients; i++) clients.Add(new NameServerClient(nameServer.Uri));
                await clients[0].RegisterAsync("bench.object", "PYRO:bench.object@127.0.0.1:1");
                var perSecond = await Measure.Concurrent(clients.Select(c => (Func<Task>)(() => c.LookupAsync("bench.object"))).ToList(), bench.Duration, bench.WarmUp);
                bench.Add(new(Workloads.NameServer, together, perSecond));
                foreach (var c in clients) await c.DisposeAsync();
            }
            const string pythonTogether = "Python clients -> Python NS (8 clients)";
            if (bench.Wants(Workloads.NameServer, pythonTogether))
                bench.Add(new(Workloads.NameServer, pythonTogether, await Peers.RunPythonTogether(Bench.Clients, PythonScripts.ConcurrentLookupClient, pythonNsUri.ToString(), bench.Seconds, bench.WarmUpSeconds)));
        }
        finally
        {
            Peers.Stop(pythonNs);
        }
    }

    /// <summary>Starts Python's name server (no broadcast) on a free port.</summary>
    public static async Task<(System.Diagnostics.Process Process, PyroUri Uri, int Port)> StartPythonAsync()
    {
        int port = Peers.FreePort();
        var (process, _) = await Peers.StartPython(@"^URI = (\S+)", "-m", "Pyro4.naming", "-n", "127.0.0.1", "-p", port.ToString(), "-x");
        return (process, new PyroUri(PyroNames.NameServerObjectId, "127.0.0.1", port), port);
    }
}
