using System.Diagnostics;
using System.Net.Http;
using TypedPyro.Gateway;
using TypedPyro.Naming;

namespace TypedPyro.Peers;

/// <summary>HTTP gateway calls: TypedPyro's gateway and Python's pyro4-httpgateway, both resolving through Python's name server.</summary>
internal static class Gateways
{
    public static async Task RunAsync(Bench bench, PyroUri echoUri)
    {
        var (pythonNs, pythonNsUri, pythonNsPort) = await NameServers.StartPythonAsync();
        Process? pythonGateway = null;
        try
        {
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
            var info = new ProcessStartInfo(Peers.Python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var a in new[] { "-m", "Pyro4.utils.httpgateway", "-H", "127.0.0.1", "-p", pythonGatewayPort.ToString() }) info.ArgumentList.Add(a);
            info.Environment["PYRO_NS_HOST"] = "127.0.0.1";
            info.Environment["PYRO_NS_PORT"] = pythonNsPort.ToString();
            pythonGateway = Process.Start(info)!;
            _ = pythonGateway.StandardOutput.ReadToEndAsync();
            _ = pythonGateway.StandardError.ReadToEndAsync();

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
                var g = await Measure.Sequential(async () => (await http.GetAsync(url)).EnsureSuccessStatusCode(), bench.Duration, bench.WarmUp);
                bench.Add(new(Workloads.Gateway, peer, g.PerSecond, g.P50, g.P99));
            }
        }
        finally
        {
            if (pythonGateway is not null) Peers.Stop(pythonGateway);
            Peers.Stop(pythonNs);
        }
    }
}
