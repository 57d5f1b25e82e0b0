using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using TypedPyro.Interop.Tests.Support;

namespace TypedPyro.Interop.Tests;

/// <summary>
/// samples/HostedWarehouse, the warehouse as a generic-host service: it registers itself in Python's name server from
/// its appsettings.json, the tutorial's unmodified visit.py uses it by name, /health reports it, and SIGTERM (what
/// Ctrl+C does for the host) stops it gracefully, removing its name.
/// </summary>
public sealed class HostedWarehouseTutorialTests
{
    private const string Tutorial = "/usr/share/doc/pyro4/examples/warehouse/phase3";

    private static int FreePort()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }

    [Fact]
    public async Task Tutorial_python_client_visits_the_hosted_warehouse_and_the_host_stops_gracefully()
    {
        int nsPort = FreePort();
        int httpPort = FreePort();
        await using var ns = PythonPeer.Start("-m", "Pyro4.naming", "-n", "127.0.0.1", "-p", nsPort.ToString(), "-x");
        await ns.WaitForAsync(@"^URI = (\S+)");

        string dll = SampleDll();
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = Path.GetDirectoryName(dll)! };
        info.ArgumentList.Add(dll);
        info.Environment["Pyro__NS_PORT"] = nsPort.ToString();
        info.Environment["Urls"] = $"http://127.0.0.1:{httpPort}";
        using var server = Process.Start(info)!;
        var serverLog = new System.Text.StringBuilder();
        var registered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void Line(string? line)
        {
            if (line is null) return;
            lock (serverLog) serverLog.AppendLine(line);
            if (line.Contains("Registered example.warehouse", StringComparison.Ordinal)) registered.TrySetResult();
        }
        server.OutputDataReceived += (_, e) => Line(e.Data);
        server.ErrorDataReceived += (_, e) => Line(e.Data);
        server.BeginOutputReadLine();
        server.BeginErrorReadLine();
        try
        {
            await Task.WhenAny(registered.Task, server.WaitForExitAsync(), Task.Delay(TimeSpan.FromSeconds(60)));
            Assert.True(registered.Task.IsCompleted, "hosted warehouse output:\n" + Log(serverLog));

            var script = $"import os, sys; os.chdir('{Tutorial}'); sys.path.insert(0, '{Tutorial}'); exec(open('visit.py').read())";
            var output = await PythonPeer.RunScriptAsync(script,
                environment: new Dictionary<string, string> { ["PYRO_NS_HOST"] = "127.0.0.1", ["PYRO_NS_PORT"] = nsPort.ToString() },
                stdin: "pen\nbike\nbook\ncouch\n");
            Assert.Contains("The warehouse contains: ['chair', 'bike', 'flashlight', 'laptop', 'couch']", output);
            Assert.Contains("The warehouse contains: ['chair', 'flashlight', 'laptop', 'couch', 'pen', 'book']", output);
            Assert.Equal(2, output.Split("Thank you, come again!").Length - 1);

            using (var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) })
            {
                var health = await http.GetAsync($"http://127.0.0.1:{httpPort}/health");
                Assert.Equal(HttpStatusCode.OK, health.StatusCode);
                Assert.Equal("Healthy", await health.Content.ReadAsStringAsync());
            }

            using (var kill = Process.Start("kill", ["-TERM", server.Id.ToString()])) await kill.WaitForExitAsync();
            await server.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
            Assert.True(server.ExitCode == 0, $"exit code {server.ExitCode}:\n" + Log(serverLog));
            Assert.Contains("Janet stored the pen.", Log(serverLog));
            Assert.Contains("Removed example.warehouse from the name server", Log(serverLog));
            Assert.Contains("Pyro daemon stopped", Log(serverLog));

            var lookup = await PythonPeer.RunScriptAsync(
                $"import Pyro4\ntry:\n    Pyro4.locateNS('127.0.0.1', {nsPort}).lookup('example.warehouse'); print('still registered')\nexcept Pyro4.errors.NamingError as e:\n    print('gone:', e)\n");
            Assert.Contains("gone: unknown name", lookup);
        }
        finally
        {
            if (!server.HasExited) server.Kill(entireProcessTree: true);
        }
    }

    private static string SampleDll()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "TypedPyro.sln"))) dir = dir.Parent;
        string configuration = AppContext.BaseDirectory.Contains("/Release/", StringComparison.Ordinal) ? "Release" : "Debug";
        var path = Path.Combine(dir!.FullName, "samples", "HostedWarehouse", "bin", configuration, "net10.0", "HostedWarehouse.dll");
        Assert.True(File.Exists(path), $"{path} not built: build TypedPyro.sln first");
        return path;
    }

    private static string Log(System.Text.StringBuilder log)
    {
        lock (log) return log.ToString();
    }
}
