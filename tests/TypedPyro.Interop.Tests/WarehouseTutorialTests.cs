using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using TypedPyro.Interop.Tests.Support;

namespace TypedPyro.Interop.Tests;

/// <summary>
/// The Pyro tutorial (warehouse phase 3): the C# server from samples/Warehouse registers in Python's name server,
/// and the tutorial's own, unmodified Python client (visit.py) finds it by name and uses it.
/// </summary>
public sealed class WarehouseTutorialTests
{
    private const string Tutorial = "/usr/share/doc/pyro4/examples/warehouse/phase3";

    private static int FreePort()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }

    [Fact]
    public async Task Tutorial_python_client_visits_the_csharp_warehouse_by_name()
    {
        int nsPort = FreePort();
        await using var ns = PythonPeer.Start("-m", "Pyro4.naming", "-n", "127.0.0.1", "-p", nsPort.ToString(), "-x");
        await ns.WaitForAsync(@"^URI = (\S+)");

        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { WarehouseDll(), "server", "--ns", $"127.0.0.1:{nsPort}" }) info.ArgumentList.Add(a);
        using var server = Process.Start(info)!;
        var serverLog = new System.Text.StringBuilder();
        server.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (serverLog) serverLog.AppendLine(e.Data); };
        server.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (serverLog) serverLog.AppendLine(e.Data); };
        server.BeginOutputReadLine();
        server.BeginErrorReadLine();
        try
        {
            for (int i = 0; i < 200 && !Contains(serverLog, "warehouse uri:"); i++) await Task.Delay(50);
            Assert.True(Contains(serverLog, "registered as example.warehouse"), "warehouse server output:\n" + serverLog);

            var script = $"import os, sys; os.chdir('{Tutorial}'); sys.path.insert(0, '{Tutorial}'); exec(open('visit.py').read())";
            var output = await PythonPeer.RunScriptAsync(script,
                environment: new Dictionary<string, string> { ["PYRO_NS_HOST"] = "127.0.0.1", ["PYRO_NS_PORT"] = nsPort.ToString() },
                stdin: "pen\nbike\nbook\ncouch\n");

            Assert.Contains("This is Janet.", output);
            Assert.Contains("The warehouse contains: ['chair', 'bike', 'flashlight', 'laptop', 'couch']", output);
            Assert.Contains("The warehouse contains: ['chair', 'flashlight', 'laptop', 'couch', 'pen', 'book']", output);
            Assert.Equal(2, output.Split("Thank you, come again!").Length - 1);
            for (int i = 0; i < 100 && !Contains(serverLog, "Henry took the couch."); i++) await Task.Delay(50);
            Assert.Contains("Janet stored the pen.", serverLog.ToString());
            Assert.Contains("Henry took the couch.", serverLog.ToString());
        }
        finally
        {
            server.Kill(entireProcessTree: true);
        }
    }

    /// <summary>The sample as the solution built it, in the same configuration as these tests.</summary>
    private static string WarehouseDll()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "TypedPyro.sln"))) dir = dir.Parent;
        string configuration = AppContext.BaseDirectory.Contains("/Release/", StringComparison.Ordinal) ? "Release" : "Debug";
        var path = Path.Combine(dir!.FullName, "samples", "Warehouse", "bin", configuration, "net10.0", "Warehouse.dll");
        Assert.True(File.Exists(path), $"{path} not built: build TypedPyro.sln first");
        return path;
    }

    private static bool Contains(System.Text.StringBuilder log, string text)
    {
        lock (log) return log.ToString().Contains(text, StringComparison.Ordinal);
    }
}
