using TypedPyro.Tests.Support;

namespace TypedPyro.Peers;

/// <summary>
/// W1 and W2 over TLS (issue 22), to set beside the plain TCP rows: a TypedPyro multiplex daemon with a server
/// certificate, called by TypedPyro proxies that trust its CA and by Python Pyro4 clients with <c>PYRO_SSL=1</c>; and
/// Python's echo server over TLS, for Python's own cost of TLS. The certificates are made for the run (ECDSA P-256).
/// </summary>
internal sealed class TlsPeer : IAsyncDisposable
{
    private readonly TestCertificates _certificates = TestCertificates.Instance;
    private readonly PyroDaemon _daemon;
    private readonly PyroUri _echoUri;
    private readonly PyroUri _typedUri;

    public TlsPeer()
    {
        var multiplex = PyroConfig.Default.With(c => c.ServerType = "multiplex");
        _daemon = new PyroDaemon(new PyroDaemonOptions { Host = "127.0.0.1", Config = multiplex, Tls = new PyroTlsOptions { Certificate = _certificates.Server } });
        _echoUri = _daemon.Register(new PyroObjectBuilder("EchoServer").Method("echo", call => call.Arg(0, "message")).Build(), "bench.echo");
        _typedUri = _daemon.Register<IBenchEcho>(new BenchEcho(), "bench.typed");
        _daemon.Start();
    }

    private PyroProxyOptions ClientOptions => new() { Tls = new PyroTlsOptions { CaCertificates = _certificates.TrustedCa } };

    /// <summary>What a Python client needs to trust the daemon's certificate.</summary>
    private Dictionary<string, string> PythonClient => new() { ["PYRO_SSL"] = "1", ["PYRO_SSL_CACERTS"] = _certificates.PathOf("ca.pem") };

    public async Task RunAsync(Bench bench)
    {
        object?[] message = [Bench.Message];
        await using (var proxy = new PyroProxy(_echoUri, ClientOptions))
        {
            var w1 = await Measure.Sequential(() => proxy.InvokeAsync("echo", message), bench.Duration, bench.WarmUp);
            bench.Add(new(Workloads.W1, "TypedPyro -> TypedPyro over TLS (serpent)", w1.PerSecond, w1.P50, w1.P99));
        }
        using (var typed = (IDisposable)Pyro.Proxy<IBenchEcho>(_typedUri, ClientOptions))
        {
            var echo = (IBenchEcho)typed;
            var w1 = await Measure.Sequential(() => { echo.Echo(Bench.Message); return Task.CompletedTask; }, bench.Duration, bench.WarmUp);
            bench.Add(new(Workloads.W1, "TypedPyro typed proxy over TLS (serpent, sync)", w1.PerSecond, w1.P50, w1.P99));
        }
        var typedProxies = Enumerable.Range(0, Bench.Clients).Select(_ => Pyro.Proxy<IBenchEcho>(_typedUri, ClientOptions)).ToList();
        var w2 = await Measure.Concurrent(typedProxies.Select(p => (Func<Task>)(() => p.EchoValueAsync(Bench.Message).AsTask())).ToList(), bench.Duration, bench.WarmUp);
        bench.Add(new(Workloads.W2, "TypedPyro typed proxy over TLS (serpent, async)", w2));
        foreach (var p in typedProxies) ((IDisposable)p).Dispose();

        var py = await Peers.RunPython(PythonClient, PythonScripts.EchoClient, _echoUri.ToString(), bench.Seconds, bench.WarmUpSeconds);
        bench.Add(new(Workloads.W1, "Python -> TypedPyro over TLS", py[0], py[1], py[2]));
        var together = await Peers.RunPythonTogether(PythonClient, Bench.Clients, PythonScripts.ConcurrentClient, _echoUri.ToString(), bench.Seconds, bench.WarmUpSeconds);
        bench.Add(new(Workloads.W2, "Python -> TypedPyro over TLS (serpent)", together, Note: $"{Bench.Clients} client processes"));

        var server = new Dictionary<string, string>
        {
            ["PYRO_SSL"] = "1",
            ["PYRO_SSL_SERVERCERT"] = _certificates.PathOf("server.pem"),
            ["PYRO_SSL_SERVERKEY"] = _certificates.PathOf("server.key"),
        };
        var (echoServer, pythonEcho) = await Peers.StartPython(server, @"^echo uri: (\S+)", "-m", "Pyro4.test.echoserver", "-H", "127.0.0.1");
        try
        {
            py = await Peers.RunPython(PythonClient, PythonScripts.EchoClient, pythonEcho, bench.Seconds, bench.WarmUpSeconds);
            bench.Add(new(Workloads.W1, "Python -> Python echo server over TLS (serpent)", py[0], py[1], py[2]));
            await using var proxy = new PyroProxy(PyroUri.Parse(pythonEcho), ClientOptions);
            var w1 = await Measure.Sequential(() => proxy.InvokeAsync("echo", message), bench.Duration, bench.WarmUp);
            bench.Add(new(Workloads.W1, "TypedPyro -> Python echo server over TLS", w1.PerSecond, w1.P50, w1.P99));
        }
        finally
        {
            Peers.Stop(echoServer);
        }
    }

    public async ValueTask DisposeAsync() => await _daemon.DisposeAsync();
}
