namespace TypedPyro.Peers;

/// <summary>The Python sides of the comparison (run with Debian's /usr/bin/python3 and Pyro4 4.82).</summary>
internal static class PythonScripts
{
    /// <summary>Sequential echo calls from a Python proxy; prints calls/s, p50 and p99 in microseconds.</summary>
    public const string EchoClient = """
        import sys, time, Pyro4
        uri, seconds = sys.argv[1], float(sys.argv[2])
        p = Pyro4.Proxy(uri)
        msg = "hello worl"
        end = time.perf_counter() + 0.5
        while time.perf_counter() < end: p.echo(msg)
        lat = []
        start = time.perf_counter(); end = start + seconds; now = start
        while now < end:
            before = now; p.echo(msg); now = time.perf_counter(); lat.append((now - before) * 1e6)
        lat.sort()
        print(len(lat) / (now - start), lat[len(lat) // 2], lat[int(len(lat) * 0.99)])
        """;

    /// <summary>Sequential name server lookups from a Python proxy; prints lookups/s.</summary>
    public const string LookupClient = """
        import sys, time, Pyro4
        ns = Pyro4.Proxy(sys.argv[1]); seconds = float(sys.argv[2])
        ns.register("bench.object", "PYRO:bench.object@127.0.0.1:1")
        end = time.perf_counter() + 0.5
        while time.perf_counter() < end: ns.lookup("bench.object")
        n = 0; start = time.perf_counter(); end = start + seconds
        while time.perf_counter() < end:
            ns.lookup("bench.object"); n += 1
        print(n / (time.perf_counter() - start))
        """;
}
