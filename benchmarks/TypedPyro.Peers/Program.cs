// The peer comparison harness (issue 8): the same workloads against TypedPyro, a raw socket ping-pong and
// Python Pyro4 4.82, in one run, printed as one table with each figure's ratio to raw sockets.
//   dotnet run -c Release --project benchmarks/TypedPyro.Peers              (5 s per workload)
//   dotnet run -c Release --project benchmarks/TypedPyro.Peers -- --smoke   (a fraction of a second each; CI)
// Not yet here: gRPC for .NET and StreamJsonRpc peers, W2-W4 and batch for Python.
using System.Globalization;
using System.Net.Http;
using TypedPyro;
using TypedPyro.Gateway;
using TypedPyro.Naming;
using TypedPyro.Peers;
using TypedPyro.Serialization;

if (args.Length > 0 && args[0] == "--serve")
{
    // Child mode for the scale workload: a multiplex daemon in its own process, so that its memory can be read alone.
    await using var scaleDaemon = new PyroDaemon(new PyroDaemonOptions { Host = "127.0.0.1", Config = PyroConfig.Default.With(c => c.ServerType = "multiplex") });
    Console.WriteLine("uri: " + scaleDaemon.Register(new PyroObjectBuilder("Idle").Method("ping", _ => null).Build(), "idle"));
    await scaleDaemon.RunAsync();
    return 0;
}

bool smoke = args.Contains("--smoke");
var duration = TimeSpan.FromSeconds(smoke ? 0.2 : 5);
var warmUp = TimeSpan.FromSeconds(smoke ? 0.1 : 1);
var results = new List<Result>();
string seconds = duration.TotalSeconds.ToString(CultureInfo.InvariantCulture);

// --- servers ---------------------------------------------------------------------------------------------------
await using var raw = new RawSockets();
var multiplex = PyroConfig.Default.With(c =>
{
    c.ServerType = "multiplex";
    c.SerializersAccepted.Add("msgpack"); // the binary path for W4
});
await using var daemon = new PyroDaemon(new PyroDaemonOptions { Host = "127.0.0.1", Config = multiplex });
var echoUri = daemon.Register(new PyroObjectBuilder("EchoServer")
    .Method("echo", call => call.Arg(0, "message"))
    .Method("length", call => (long)PyroConvert.ToBytes(call.Args[0]).Length)
    .Oneway("oneway_echo", _ => { })
    .Build(), "bench.echo");
daemon.Start();

await using var nameServer = NameServerHost.Create(new NameServerHostOptions { Host = "127.0.0.1", Port = 0, EnableBroadcast = false });
nameServer.Start();
int pythonNsPort = Peers.FreePort();
var (pythonNs, _) = await Peers.StartPython(@"^URI = (\S+)", "-m", "Pyro4.naming", "-n", "127.0.0.1", "-p", pythonNsPort.ToString(), "-x");
var (pythonEcho, pythonEchoUri) = await Peers.StartPython(@"^echo uri: (\S+)", "-m", "Pyro4.test.echoserver", "-H", "127.0.0.1");
try
{
    // --- W1: latency ---------------------------------------------------------------------------------------------
    var rawW1 = await Measure.Sequential(await raw.Client(), duration, warmUp);
    results.Add(new("W1 latency", "raw TCP ping-pong (C#)", rawW1.PerSecond, rawW1.P50, rawW1.P99));
    foreach (var serializer in new[] { SerializerId.Serpent, SerializerId.Json })
    {
        await using var proxy = new PyroProxy(echoUri, new PyroProxyOptions { Serializer = serializer });
        object?[] message = ["hello worl"];
        var w1 = await Measure.Sequential(() => proxy.InvokeAsync("echo", message), duration, warmUp);
        results.Add(new("W1 latency", $"TypedPyro -> TypedPyro ({serializer.ToString().ToLowerInvariant()})", w1.PerSecond, w1.P50, w1.P99));
    }
    await using (var proxy = new PyroProxy(pythonEchoUri))
    {
        object?[] message = ["hello worl"];
        var w1 = await Measure.Sequential(() => proxy.InvokeAsync("echo", message), duration, warmUp);
        results.Add(new("W1 latency", "TypedPyro -> Python echo server", w1.PerSecond, w1.P50, w1.P99));
    }
    var py = await Peers.RunPython(PythonScripts.EchoClient, pythonEchoUri, seconds);
    results.Add(new("W1 latency", "Python -> Python echo server (serpent)", py[0], py[1], py[2]));
    py = await Peers.RunPython(PythonScripts.EchoClient, echoUri.ToString(), seconds);
    results.Add(new("W1 latency", "Python -> TypedPyro", py[0], py[1], py[2]));

    // --- W2: 8 clients, a connection each ---------------------------------------------------------------------------
    var rawClients = new List<Func<Task>>();
    for (int i = 0; i < 8; i++) rawClients.Add(await raw.Client());
    results.Add(new("W2 8 clients", "raw TCP ping-pong (C#)", await Measure.Concurrent(rawClients, duration, warmUp)));
    var proxies = Enumerable.Range(0, 8).Select(_ => new PyroProxy(echoUri)).ToList();
    object?[] w2Message = ["hello worl"];
    results.Add(new("W2 8 clients", "TypedPyro -> TypedPyro (serpent)", await Measure.Concurrent(proxies.Select(p => (Func<Task>)(() => p.InvokeAsync("echo", w2Message))).ToList(), duration, warmUp)));
    foreach (var p in proxies) p.Dispose();

    // --- W3: oneway ------------------------------------------------------------------------------------------------
    await using (var proxy = new PyroProxy(echoUri))
    {
        object?[] message = ["hello worl"];
        await proxy.InvokeAsync("echo", message);
        long sent = 0;
        var end = DateTime.UtcNow + duration;
        var started = DateTime.UtcNow;
        while (DateTime.UtcNow < end)
        {
            await proxy.InvokeAsync("oneway_echo", message);
            sent++;
        }
        await proxy.InvokeAsync("echo", message); // flush: the daemon has read everything before this reply
        results.Add(new("W3 oneway", "TypedPyro -> TypedPyro (serpent)", sent / (DateTime.UtcNow - started).TotalSeconds));
    }

    // --- W4: bulk --------------------------------------------------------------------------------------------------
    var blob = new byte[10 * 1024 * 1024];
    Random.Shared.NextBytes(blob);
    object?[] bulk = [blob];
    var rawBulk = await Measure.Sequential(await raw.BulkClient(blob.Length), duration, smoke ? TimeSpan.Zero : warmUp);
    results.Add(new("W4 bulk 10 MiB", "raw TCP send + 8-byte reply (C#)", rawBulk.PerSecond, MegabytesPerSecond: rawBulk.PerSecond * 10 * 1.048576));
    foreach (var serializer in new[] { SerializerId.Serpent, SerializerId.MsgPack })
    {
        await using var proxy = new PyroProxy(echoUri, new PyroProxyOptions { Serializer = serializer });
        var w4 = await Measure.Sequential(() => proxy.InvokeAsync("length", bulk), duration, smoke ? TimeSpan.Zero : warmUp);
        results.Add(new("W4 bulk 10 MiB", $"TypedPyro -> TypedPyro ({serializer.ToString().ToLowerInvariant()})", w4.PerSecond, MegabytesPerSecond: w4.PerSecond * 10 * 1.048576));
    }

    // --- Batch of 100 ----------------------------------------------------------------------------------------------
    await using (var proxy = new PyroProxy(echoUri))
    {
        var batch = proxy.CreateBatch();
        for (int i = 0; i < 100; i++) batch.Add("echo", ["hello worl"]);
        var b = await Measure.Sequential(() => batch.ExecuteAsync(), duration, warmUp);
        results.Add(new("Batch of 100", "TypedPyro -> TypedPyro (serpent)", b.PerSecond * 100));
    }

    // --- NS lookups ------------------------------------------------------------------------------------------------
    var pythonNsUri = new PyroUri(PyroNames.NameServerObjectId, "127.0.0.1", pythonNsPort);
    foreach (var (peer, nsUri) in new[] { ("TypedPyro client -> TypedPyro NS", nameServer.Uri), ("TypedPyro client -> Python NS", pythonNsUri) })
    {
        await using var ns = new NameServerClient(nsUri);
        await ns.RegisterAsync("bench.object", "PYRO:bench.object@127.0.0.1:1");
        var l = await Measure.Sequential(() => ns.LookupAsync("bench.object"), duration, warmUp);
        results.Add(new("NS lookups", peer, l.PerSecond, l.P50, l.P99));
    }
    py = await Peers.RunPython(PythonScripts.LookupClient, nameServer.Uri.ToString(), seconds);
    results.Add(new("NS lookups", "Python client -> TypedPyro NS", py[0]));
    py = await Peers.RunPython(PythonScripts.LookupClient, pythonNsUri.ToString(), seconds);
    results.Add(new("NS lookups", "Python client -> Python NS", py[0]));

    // --- HTTP gateway ----------------------------------------------------------------------------------------------
    await using (var ns = new NameServerClient(pythonNsUri))
    {
        await ns.RegisterAsync("http.echo", echoUri);
    }
    int gatewayPort = Peers.FreePort();
    await using var gateway = new PyroGatewayServer(new PyroGatewayServerOptions
    {
        Host = "127.0.0.1", Port = gatewayPort,
        Gateway = new PyroGatewayOptions { NameServerHost = "127.0.0.1", NameServerPort = pythonNsPort },
    });
    await gateway.StartAsync();
    int pythonGatewayPort = Peers.FreePort();
    var pythonGatewayInfo = new System.Diagnostics.ProcessStartInfo(Peers.Python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
    foreach (var a in new[] { "-m", "Pyro4.utils.httpgateway", "-H", "127.0.0.1", "-p", pythonGatewayPort.ToString() }) pythonGatewayInfo.ArgumentList.Add(a);
    pythonGatewayInfo.Environment["PYRO_NS_HOST"] = "127.0.0.1";
    pythonGatewayInfo.Environment["PYRO_NS_PORT"] = pythonNsPort.ToString();
    var pythonGateway = System.Diagnostics.Process.Start(pythonGatewayInfo)!;
    _ = pythonGateway.StandardOutput.ReadToEndAsync();
    _ = pythonGateway.StandardError.ReadToEndAsync();
    try
    {
        using var http = new HttpClient();
        foreach (var (peer, port) in new[] { ("TypedPyro gateway", gatewayPort), ("Python gateway (pyro4-httpgateway)", pythonGatewayPort) })
        {
            var url = $"http://127.0.0.1:{port}/pyro/http.echo/echo?message=hi";
            for (int i = 0; i < 100; i++)
            {
                try { (await http.GetAsync(url)).EnsureSuccessStatusCode(); break; }
                catch (HttpRequestException) { await Task.Delay(100); }
            }
            var probe = await http.GetAsync(url);
            if (!probe.IsSuccessStatusCode) throw new InvalidOperationException($"{peer}: {(int)probe.StatusCode} {await probe.Content.ReadAsStringAsync()}");
            var g = await Measure.Sequential(async () => (await http.GetAsync(url)).EnsureSuccessStatusCode(), duration, warmUp);
            results.Add(new("Gateway calls", peer, g.PerSecond, g.P50, g.P99));
        }
    }
    finally
    {
        Peers.Stop(pythonGateway);
    }
}
finally
{
    Peers.Stop(pythonNs);
    Peers.Stop(pythonEcho);
}

// --- Scale: idle connections held by one multiplex daemon (its own process, so its memory can be measured) ---------
{
    int connections = smoke ? 200 : 10_000;
    var child = new System.Diagnostics.ProcessStartInfo("dotnet") { RedirectStandardOutput = true, UseShellExecute = false };
    child.ArgumentList.Add(typeof(Peers).Assembly.Location);
    child.ArgumentList.Add("--serve");
    using var server = System.Diagnostics.Process.Start(child)!;
    try
    {
        string line = (await server.StandardOutput.ReadLineAsync())!;
        var idleUri = line["uri: ".Length..];
        await using (var warm = new PyroProxy(idleUri)) await warm.InvokeAsync("ping");
        GC.Collect();
        await Task.Delay(500);
        long before = ResidentBytes(server.Id);
        var idle = new List<PyroProxy>(connections);
        var started = DateTime.UtcNow;
        for (int i = 0; i < connections; i += 100)
        {
            var batch = Enumerable.Range(0, Math.Min(100, connections - i)).Select(_ => new PyroProxy(idleUri)).ToList();
            await Task.WhenAll(batch.Select(p => p.ConnectAsync()));
            idle.AddRange(batch);
        }
        var connectSeconds = (DateTime.UtcNow - started).TotalSeconds;
        await Task.Delay(1000);
        long after = ResidentBytes(server.Id);
        // Still serving with all of them open:
        await idle[^1].InvokeAsync("ping");
        results.Add(new("Scale", $"{connections:N0} idle connections to one multiplex daemon", connections / connectSeconds,
            Note: $"{(after - before) / (double)connections / 1024:0.0} KiB resident per connection"));
        foreach (var p in idle) p.Dispose();
    }
    finally
    {
        server.Kill(entireProcessTree: true);
    }
}

static long ResidentBytes(int pid)
{
    foreach (var line in File.ReadLines($"/proc/{pid}/status"))
    {
        if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            return long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
    }
    return 0;
}

// --- the table -----------------------------------------------------------------------------------------------------
Console.WriteLine($"# TypedPyro peer comparison, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, {duration.TotalSeconds:0.#} s per workload");
Console.WriteLine("| workload | peer | calls/s | p50 us | p99 us | MB/s | ratio to raw | note |");
Console.WriteLine("|---|---|---:|---:|---:|---:|---:|---|");
foreach (var r in results)
{
    var rawFigure = results.FirstOrDefault(x => x.Workload == r.Workload && x.Peer.StartsWith("raw", StringComparison.Ordinal));
    string ratio = rawFigure is null || ReferenceEquals(rawFigure, r) ? "" : $"{r.PerSecond / rawFigure.PerSecond:0.00}x";
    Console.WriteLine($"| {r.Workload} | {r.Peer} | {r.PerSecond:N0} | {Fmt(r.P50Micros)} | {Fmt(r.P99Micros)} | {Fmt(r.MegabytesPerSecond)} | {ratio} | {r.Note} |");
}
return 0;

static string Fmt(double? value) => value is { } v ? v.ToString("N0", CultureInfo.InvariantCulture) : "";
