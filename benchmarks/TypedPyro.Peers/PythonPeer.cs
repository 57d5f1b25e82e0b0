namespace TypedPyro.Peers;

/// <summary>
/// Python Pyro4 4.82, every Python side in its own process: Pyro4's echo server (thread server) for W1, a multiplex
/// server of ours (<see cref="PythonScripts.Server"/>) for W2-W4 and batch, and client scripts; plus the W1 and W2
/// rows that cross languages (a TypedPyro client of the Python server, Python clients of the TypedPyro daemon).
/// </summary>
internal static class PythonPeer
{
    public static async Task RunAsync(Bench bench, PyroUri typedPyroEcho)
    {
        var (echoServer, echoUri) = await Peers.StartPython(@"^echo uri: (\S+)", "-m", "Pyro4.test.echoserver", "-H", "127.0.0.1");
        var (server, serverUri) = await Peers.StartPython(@"^uri: (\S+)", "-c", PythonScripts.Server, "multiplex");
        try
        {
            await using (var proxy = new PyroProxy(echoUri))
            {
                object?[] message = [Bench.Message];
                var w1 = await Measure.Sequential(() => proxy.InvokeAsync("echo", message), bench.Duration, bench.WarmUp);
                bench.Add(new(Workloads.W1, "TypedPyro -> Python echo server", w1.PerSecond, w1.P50, w1.P99));
            }
            // The same calls made blocking, as Python's own client makes them: a fresh proxy, connected by its first
            // (blocking) call, keeps its socket in blocking mode.
            using (var proxy = new PyroProxy(echoUri))
            {
                var w1 = await Measure.Sequential(() => { proxy.Invoke("echo", Bench.Message); return Task.CompletedTask; }, bench.Duration, bench.WarmUp);
                bench.Add(new(Workloads.W1, "TypedPyro -> Python echo server (blocking Invoke)", w1.PerSecond, w1.P50, w1.P99));
            }
            var py = await Run(bench, PythonScripts.EchoClient, echoUri);
            bench.Add(new(Workloads.W1, "Python -> Python echo server (serpent)", py[0], py[1], py[2]));
            py = await Run(bench, PythonScripts.EchoClient, typedPyroEcho.ToString());
            bench.Add(new(Workloads.W1, "Python -> TypedPyro", py[0], py[1], py[2]));

            foreach (var (peer, uri) in new[] { ("Python -> Python multiplex server", serverUri), ("Python -> TypedPyro", typedPyroEcho.ToString()) })
            {
                var total = await Peers.RunPythonTogether(Bench.Clients, PythonScripts.ConcurrentClient, uri, bench.Seconds, bench.WarmUpSeconds);
                bench.Add(new(Workloads.W2, peer + " (serpent)", total, Note: $"{Bench.Clients} client processes"));
            }

            py = await Run(bench, PythonScripts.OnewayClient, serverUri);
            bench.Add(new(Workloads.W3, "Python -> Python multiplex server (serpent)", py[0], Note: "ONEWAY_THREADED=False"));

            foreach (var serializer in new[] { "serpent", "msgpack" })
            {
                py = await Run(bench, PythonScripts.BulkClient, serverUri, serializer);
                bench.AddBulk($"Python -> Python multiplex server ({serializer})", py[0]);
            }

            foreach (var serializer in new[] { "serpent", "msgpack" })
            {
                py = await Run(bench, PythonScripts.BatchClient, serverUri, serializer);
                bench.Add(new(Workloads.Batch, $"Python -> Python multiplex server ({serializer})", py[0], Note: "Pyro4.batch"));
            }
        }
        finally
        {
            Peers.Stop(echoServer);
            Peers.Stop(server);
        }
    }

    private static Task<double[]> Run(Bench bench, string script, string uri, params string[] more) =>
        Peers.RunPython(script, [uri, bench.Seconds, bench.WarmUpSeconds, .. more]);
}
