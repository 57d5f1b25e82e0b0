namespace TypedPyro.Peers;

/// <summary>
/// W1, W2 and W3 against Python Pyro5 (issue 27), from a Pyro5 checkout named by <c>--pyro5 DIR</c> (the folder that
/// holds the <c>Pyro5/</c> package, put on PYTHONPATH; Debian has no Pyro5 package): Pyro5's echo server and a Pyro5
/// multiplex server of ours, Python Pyro5 clients of each and of a TypedPyro daemon (which serves them on the same
/// port as Pyro4 clients), and TypedPyro proxies with <see cref="PyroProxyOptions.Protocol"/> 5 of both.
/// </summary>
internal sealed class Pyro5Peer : IAsyncDisposable
{
    // Pyro5 has no SERIALIZERS_ACCEPTED (its daemon takes every serializer) and no ONEWAY_THREADED: it runs each
    // oneway call in a thread of its own.
    private const string Server = """
        import sys, Pyro5.api
        Pyro5.api.config.SERVERTYPE = sys.argv[1]

        @Pyro5.api.expose
        class Bench(object):
            def echo(self, message):
                return message

            @Pyro5.api.oneway
            def oneway_echo(self, message):
                pass

        daemon = Pyro5.api.Daemon(host="127.0.0.1")
        print("uri:", daemon.register(Bench(), "bench.python5"), flush=True)
        daemon.requestLoop()
        """;

    private readonly Dictionary<string, string> _environment;
    private readonly PyroDaemon _daemon;
    private readonly PyroUri _echoUri;
    private readonly PyroUri _typedUri;
    private readonly BenchEcho _typed = new();
    private long _notes;

    private Pyro5Peer(string checkout)
    {
        _environment = new() { ["PYTHONPATH"] = checkout };
        var multiplex = PyroConfig.Default.With(c => c.ServerType = "multiplex");
        _daemon = new PyroDaemon(new PyroDaemonOptions { Host = "127.0.0.1", Config = multiplex });
        _echoUri = _daemon.Register(new PyroObjectBuilder("EchoServer")
            .Method("echo", call => call.Arg(0, "message"))
            .Oneway("oneway_echo", _ => Interlocked.Increment(ref _notes))
            .Build(), "bench.echo");
        _typedUri = _daemon.Register<IBenchEcho>(_typed, "bench.typed");
        _daemon.Start();
    }

    private static PyroProxyOptions Pyro5 => new() { Protocol = 5 };

    /// <summary>Runs the rows, or says on stderr why they are skipped (no checkout named, or no Pyro5 package in it).</summary>
    public static async Task RunAsync(Bench bench, string? checkout)
    {
        if (checkout is null || !File.Exists(Path.Combine(checkout, "Pyro5", "__init__.py")))
        {
            Console.Error.WriteLine(checkout is null
                ? "  Pyro5 rows skipped: no --pyro5 DIR given (a folder holding Pyro5's Pyro5/ package)"
                : $"  Pyro5 rows skipped: {checkout} holds no Pyro5/__init__.py");
            return;
        }
        await using var peer = new Pyro5Peer(Path.GetFullPath(checkout));
        await peer.RunAsync(bench);
    }

    private async Task RunAsync(Bench bench)
    {
        var (echoServer, pythonEcho) = await Peers.StartPython(_environment, @"^echo uri: (\S+)", "-m", "Pyro5.utils.echoserver", "-H", "127.0.0.1");
        var (server, pythonServer) = await Peers.StartPython(_environment, @"^uri: (\S+)", "-c", Server, "multiplex");
        try
        {
            object?[] message = [Bench.Message];
            // W1: each direction, and TypedPyro's Pyro5 path on both sides.
            foreach (var (peer, uri) in new[] { ("TypedPyro (Pyro5) -> Python Pyro5 echo server", pythonEcho), ("TypedPyro (Pyro5) -> TypedPyro (serpent)", _echoUri.ToString()) })
            {
                await using var proxy = new PyroProxy(uri, Pyro5);
                var w1 = await Measure.Sequential(() => proxy.InvokeAsync("echo", message), bench.Duration, bench.WarmUp);
                bench.Add(new(Workloads.W1, peer, w1.PerSecond, w1.P50, w1.P99));
            }
            using (var typed = (IDisposable)Pyro.Proxy<IBenchEcho>(_typedUri, Pyro5))
            {
                var echo = (IBenchEcho)typed;
                var w1 = await Measure.Sequential(() => { echo.Echo(Bench.Message); return Task.CompletedTask; }, bench.Duration, bench.WarmUp);
                bench.Add(new(Workloads.W1, "TypedPyro typed proxy over Pyro5 (serpent, sync)", w1.PerSecond, w1.P50, w1.P99));
            }
            var py = await Run(bench, PythonScripts.EchoClient, pythonEcho);
            bench.Add(new(Workloads.W1, "Python Pyro5 -> Python Pyro5 echo server (serpent)", py[0], py[1], py[2]));
            py = await Run(bench, PythonScripts.EchoClient, _echoUri.ToString());
            bench.Add(new(Workloads.W1, "Python Pyro5 -> TypedPyro", py[0], py[1], py[2]));

            // W2: 8 client processes or proxies.
            foreach (var (peer, uri) in new[] { ("Python Pyro5 -> Python Pyro5 multiplex server", pythonServer), ("Python Pyro5 -> TypedPyro", _echoUri.ToString()) })
            {
                var total = await Peers.RunPythonTogether(_environment, Bench.Clients, ForPyro5(PythonScripts.ConcurrentClient), uri, bench.Seconds, bench.WarmUpSeconds);
                bench.Add(new(Workloads.W2, peer + " (serpent)", total, Note: $"{Bench.Clients} client processes"));
            }
            var typedProxies = Enumerable.Range(0, Bench.Clients).Select(_ => Pyro.Proxy<IBenchEcho>(_typedUri, Pyro5)).ToList();
            var w2 = await Measure.Concurrent(typedProxies.Select(p => (Func<Task>)(() => p.EchoValueAsync(Bench.Message).AsTask())).ToList(), bench.Duration, bench.WarmUp);
            bench.Add(new(Workloads.W2, "TypedPyro typed proxy over Pyro5 (serpent, async)", w2));
            foreach (var p in typedProxies) ((IDisposable)p).Dispose();
            var proxies = Enumerable.Range(0, Bench.Clients).Select(_ => new PyroProxy(pythonServer, Pyro5)).ToList();
            w2 = await Measure.Concurrent(proxies.Select(p => (Func<Task>)(() => p.InvokeAsync("echo", message))).ToList(), bench.Duration, bench.WarmUp);
            bench.Add(new(Workloads.W2, "TypedPyro (Pyro5) -> Python Pyro5 multiplex server (serpent)", w2));
            foreach (var p in proxies) p.Dispose();

            // W3: oneway calls, each flushed by one echo (and, on our daemon, until every one has run).
            py = await Run(bench, PythonScripts.OnewayClient, pythonServer);
            bench.Add(new(Workloads.W3, "Python Pyro5 -> Python Pyro5 multiplex server (serpent)", py[0], Note: "Pyro5 runs each oneway call in a thread"));
            py = await Run(bench, PythonScripts.OnewayClient, _echoUri.ToString());
            bench.Add(new(Workloads.W3, "Python Pyro5 -> TypedPyro (serpent)", py[0]));
            using (var typed = (IDisposable)Pyro.Proxy<IBenchEcho>(_typedUri, Pyro5))
            {
                var echo = (IBenchEcho)typed;
                long sent = Interlocked.Read(ref _typed.Notes);
                Func<Task> send = () => { echo.Note(Bench.Message); sent++; return Task.CompletedTask; };
                Func<Task> flush = async () =>
                {
                    await echo.EchoValueAsync(Bench.Message);
                    await TypedPyroPeer.UntilRun(() => Interlocked.Read(ref _typed.Notes), () => sent);
                };
                await Measure.Oneway(send, flush, bench.WarmUp);
                bench.Add(new(Workloads.W3, "TypedPyro typed proxy over Pyro5 -> TypedPyro (serpent)", (await Measure.Oneway(send, flush, bench.Duration)).PerSecond));
            }
        }
        finally
        {
            Peers.Stop(echoServer);
            Peers.Stop(server);
        }
    }

    /// <summary>A Pyro4 client script of <see cref="PythonScripts"/> as its Pyro5 twin: the clients use only <c>Proxy</c>.</summary>
    private static string ForPyro5(string pyro4Script) => pyro4Script.Replace("Pyro4", "Pyro5.api", StringComparison.Ordinal);

    private Task<double[]> Run(Bench bench, string script, string uri) =>
        Peers.RunPython(_environment, ForPyro5(script), uri, bench.Seconds, bench.WarmUpSeconds);

    public async ValueTask DisposeAsync() => await _daemon.DisposeAsync();
}
