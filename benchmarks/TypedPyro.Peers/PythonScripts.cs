namespace TypedPyro.Peers;

/// <summary>
/// The Python sides of the comparison, run with Debian's /usr/bin/python3 and Pyro4 4.82, each in its own process.
/// Clients take the URI, the measured seconds and the warm-up seconds, and print their figures on one line.
/// </summary>
internal static class PythonScripts
{
    /// <summary>
    /// The Python server for W2-W4 and batch: SERVERTYPE (argv[1], multiplex here), msgpack accepted besides the
    /// safe defaults, and ONEWAY_THREADED off: a oneway call that does nothing runs ~8x faster without a thread each.
    /// </summary>
    public const string Server = """
        import sys, serpent, Pyro4
        Pyro4.config.SERVERTYPE = sys.argv[1]
        Pyro4.config.SERIALIZERS_ACCEPTED.add("msgpack")
        Pyro4.config.ONEWAY_THREADED = False

        @Pyro4.expose
        class Bench(object):
            def echo(self, message):
                return message

            @Pyro4.oneway
            def oneway_echo(self, message):
                pass

            def length(self, data):
                if isinstance(data, dict):  # serpent: {'data': base64, 'encoding': 'base64'}
                    data = serpent.tobytes(data)
                return len(data)

        daemon = Pyro4.Daemon(host="127.0.0.1")
        print("uri:", daemon.register(Bench(), "bench.python"), flush=True)
        daemon.requestLoop()
        """;

    /// <summary>W1: sequential echo calls; prints calls/s, p50 and p99 in microseconds.</summary>
    public const string EchoClient = """
        import sys, time, Pyro4
        uri, seconds, warm = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
        p = Pyro4.Proxy(uri)
        msg = "hello worl"
        end = time.perf_counter() + warm
        while time.perf_counter() < end: p.echo(msg)
        lat = []
        start = time.perf_counter(); end = start + seconds; now = start
        while now < end:
            before = now; p.echo(msg); now = time.perf_counter(); lat.append((now - before) * 1e6)
        lat.sort()
        print(len(lat) / (now - start), lat[len(lat) // 2], lat[int(len(lat) * 0.99)])
        """;

    /// <summary>W2, one of several processes: warms up, prints "ready", waits for a line on stdin, then prints calls/s.</summary>
    public const string ConcurrentClient = """
        import sys, time, Pyro4
        uri, seconds, warm = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
        p = Pyro4.Proxy(uri)
        msg = "hello worl"
        end = time.perf_counter() + warm
        while time.perf_counter() < end: p.echo(msg)
        print("ready", flush=True)
        sys.stdin.readline()
        n = 0; start = time.perf_counter(); end = start + seconds; now = start
        while now < end:
            p.echo(msg); n += 1; now = time.perf_counter()
        print(n / (now - start), flush=True)
        """;

    /// <summary>W3: oneway calls as fast as possible, then one echo to flush; prints calls/s (the flush included).</summary>
    public const string OnewayClient = """
        import sys, time, Pyro4
        uri, seconds, warm = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
        p = Pyro4.Proxy(uri)
        msg = "hello worl"
        def run(seconds):
            n = 0; start = time.perf_counter(); end = start + seconds
            while time.perf_counter() < end:
                p.oneway_echo(msg); n += 1
            p.echo(msg)
            return n / (time.perf_counter() - start)
        run(warm)
        print(run(seconds))
        """;

    /// <summary>W4: a 10 MiB bytes argument to length(), with the serializer in argv[4]; prints calls/s.</summary>
    public const string BulkClient = """
        import sys, os, time, Pyro4
        uri, seconds, warm = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
        Pyro4.config.SERIALIZER = sys.argv[4]
        p = Pyro4.Proxy(uri)
        blob = os.urandom(10 * 1024 * 1024)
        assert p.length(blob) == len(blob)
        end = time.perf_counter() + warm
        while time.perf_counter() < end: p.length(blob)
        n = 0; start = time.perf_counter(); end = start + seconds; now = start
        while now < end:
            p.length(blob); n += 1; now = time.perf_counter()
        print(n / (now - start))
        """;

    /// <summary>Batch: Pyro4.batch of 100 echo calls per message, with the serializer in argv[4]; prints calls/s.</summary>
    public const string BatchClient = """
        import sys, time, Pyro4
        uri, seconds, warm = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
        Pyro4.config.SERIALIZER = sys.argv[4]
        p = Pyro4.Proxy(uri)
        msg = "hello worl"
        def batch():
            b = Pyro4.batch(p)
            for i in range(100): b.echo(msg)
            for r in b(): assert r == msg
        end = time.perf_counter() + warm
        while time.perf_counter() < end: batch()
        n = 0; start = time.perf_counter(); end = start + seconds; now = start
        while now < end:
            batch(); n += 100; now = time.perf_counter()
        print(n / (now - start))
        """;

    /// <summary>
    /// One of <see cref="Bench.Clients"/> name server clients run together (<see cref="Peers.RunPythonTogether(int, string, string[])"/>):
    /// lookups after "ready" and a line on stdin; prints lookups/s.
    /// </summary>
    public const string ConcurrentLookupClient = """
        import sys, time, Pyro4
        ns = Pyro4.Proxy(sys.argv[1]); seconds, warm = float(sys.argv[2]), float(sys.argv[3])
        ns.register("bench.object", "PYRO:bench.object@127.0.0.1:1")
        end = time.perf_counter() + warm
        while time.perf_counter() < end: ns.lookup("bench.object")
        print("ready", flush=True)
        sys.stdin.readline()
        n = 0; start = time.perf_counter(); end = start + seconds; now = start
        while now < end:
            ns.lookup("bench.object"); n += 1; now = time.perf_counter()
        print(n / (now - start), flush=True)
        """;

    /// <summary>Sequential name server lookups; prints lookups/s.</summary>
    public const string LookupClient = """
        import sys, time, Pyro4
        ns = Pyro4.Proxy(sys.argv[1]); seconds, warm = float(sys.argv[2]), float(sys.argv[3])
        ns.register("bench.object", "PYRO:bench.object@127.0.0.1:1")
        end = time.perf_counter() + warm
        while time.perf_counter() < end: ns.lookup("bench.object")
        n = 0; start = time.perf_counter(); end = start + seconds
        while time.perf_counter() < end:
            ns.lookup("bench.object"); n += 1
        print(n / (time.perf_counter() - start))
        """;
}
