using System.Diagnostics;
using TypedPyro.Interop.Tests.Naming;
using TypedPyro.Interop.Tests.Support;

namespace TypedPyro.Interop.Tests.Faults;

/// <summary>The real <c>typedpyro ns</c> with SQLite storage killed (SIGKILL, no shutdown) and started again: every registration survives.</summary>
public sealed class NameServerKilledTests
{
    private static readonly string CliDll = Path.Combine(AppContext.BaseDirectory, "TypedPyro.Cli.dll");

    private static Process StartNs(int port, string db)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { CliDll, "ns", "-n", "127.0.0.1", "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-s", "sql:" + db })
            info.ArgumentList.Add(a);
        info.Environment.Remove("PYRO_HMAC_KEY");
        return Process.Start(info)!;
    }

    private static async Task WaitForUriAsync(Process ns)
    {
        while (true)
        {
            var line = await ns.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30))
                ?? throw new InvalidOperationException("ns exited: " + await ns.StandardError.ReadToEndAsync());
            if (line.StartsWith("URI = ", StringComparison.Ordinal)) return;
        }
    }

    [Fact]
    public async Task Name_server_killed_and_restarted_keeps_every_registration()
    {
        int port = NamingPeers.FreeTcpPort();
        var db = Path.Combine(Path.GetTempPath(), "typedpyro-ns-kill-" + Guid.NewGuid().ToString("N") + ".sqlite");
        try
        {
            using (var ns = StartNs(port, db))
            {
                try
                {
                    await WaitForUriAsync(ns);
                    var registered = await PythonPeer.RunScriptAsync($$"""
                        import Pyro4
                        ns = Pyro4.locateNS("127.0.0.1", {{port}})
                        for i in range(50):
                            ns.register("fault.obj%d" % i, "PYRO:obj%d@127.0.0.1:%d" % (i, 1000 + i), metadata={"m%d" % i})
                        print(len(ns.list(prefix="fault.")))
                        """);
                    Assert.Equal("50", registered.Trim());
                }
                finally
                {
                    ns.Kill(); // SIGKILL: no chance to flush or close anything
                    await ns.WaitForExitAsync();
                }
            }

            using var restarted = StartNs(port, db);
            try
            {
                await WaitForUriAsync(restarted);
                var listed = await PythonPeer.RunScriptAsync($$"""
                    import Pyro4
                    ns = Pyro4.locateNS("127.0.0.1", {{port}})
                    found = ns.list(prefix="fault.", return_metadata=True)
                    ok = all(found["fault.obj%d" % i][0] == "PYRO:obj%d@127.0.0.1:%d" % (i, 1000 + i)
                             and set(found["fault.obj%d" % i][1]) == {"m%d" % i} for i in range(50))
                    print(len(found), ok, "" if ok else repr(found["fault.obj0"]))
                    """);
                Assert.Equal("50 True", listed.Trim());
            }
            finally
            {
                restarted.Kill();
                await restarted.WaitForExitAsync();
            }
        }
        finally
        {
            File.Delete(db);
        }
    }
}
