using System.Diagnostics;
using TypedPyro.Interop.Tests.Support;

namespace TypedPyro.Interop.Tests.Naming;

/// <summary>The real <c>typedpyro ns</c> executable: its output, Python's tools against it, a persistent store across restarts, Ctrl-C.</summary>
public sealed class NsProcessTests
{
    private static readonly string CliDll = Path.Combine(AppContext.BaseDirectory, "TypedPyro.Cli.dll");

    private static Process Start(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(CliDll);
        foreach (var a in args) info.ArgumentList.Add(a);
        info.Environment.Remove("PYRO_HMAC_KEY");
        return Process.Start(info)!;
    }

    private static async Task<List<string>> ReadUntilAsync(Process process, string prefix)
    {
        var lines = new List<string>();
        while (true)
        {
            var line = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30))
                ?? throw new InvalidOperationException("exited: " + string.Join("\n", lines) + await process.StandardError.ReadToEndAsync());
            lines.Add(line);
            if (line.StartsWith(prefix, StringComparison.Ordinal)) return lines;
        }
    }

    private static async Task InterruptAsync(Process process)
    {
        using (var kill = Process.Start("kill", ["-INT", process.Id.ToString()])) await kill.WaitForExitAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task Ns_prints_like_pyro4_ns_serves_pythons_nsc_and_keeps_a_sql_store_across_restarts()
    {
        int port = NamingPeers.FreeTcpPort();
        var db = Path.Combine(Path.GetTempPath(), "typedpyro-ns-proc-" + Guid.NewGuid().ToString("N") + ".sqlite");
        try
        {
            using (var ns = Start("ns", "-n", "127.0.0.1", "-p", port.ToString(), "-s", "sql:" + db))
            {
                try
                {
                    var lines = await ReadUntilAsync(ns, "URI = ");
                    Assert.Equal(
                    [
                        "Not starting broadcast server for localhost.",
                        $"NS running on 127.0.0.1:{port} (127.0.0.1)",
                        "Warning: HMAC key not set. Anyone can connect to this server!",
                        $"URI = PYRO:Pyro.NameServer@127.0.0.1:{port}",
                    ], lines);
                    var result = await PythonPeer.RunScriptAsync($"""
                        from Pyro4 import nsc
                        nsc.main(["-n", "127.0.0.1", "-p", "{port}", "register", "kept", "PYRO:kept@127.0.0.1:1"])
                        nsc.main(["-n", "127.0.0.1", "-p", "{port}", "setmeta", "kept", "tag"])
                        """);
                    Assert.Equal("Registered kept\nMetadata updated", result.Trim().Replace("\r\n", "\n"));
                }
                finally
                {
                    if (!ns.HasExited) await InterruptAsync(ns);
                }
                Assert.Equal(0, ns.ExitCode);
                Assert.EndsWith("NS shut down.", (await ns.StandardOutput.ReadToEndAsync()).Trim());
            }

            using (var ns = Start("ns", "-n", "127.0.0.1", "-p", port.ToString(), "-s", "sql:" + db))
            {
                try
                {
                    var lines = await ReadUntilAsync(ns, "URI = ");
                    Assert.Contains("Persistent store contains 2 existing registrations.", lines);
                    var result = await PythonPeer.RunScriptAsync($"""
                        from Pyro4 import nsc
                        nsc.main(["-n", "127.0.0.1", "-p", "{port}", "lookup", "kept"])
                        """);
                    Assert.Equal("PYRO:kept@127.0.0.1:1\nmetadata: ['tag']", result.Trim().Replace("\r\n", "\n"));
                }
                finally
                {
                    if (!ns.HasExited) await InterruptAsync(ns);
                }
            }
        }
        finally
        {
            File.Delete(db);
        }
    }

    [Fact]
    public async Task Ns_refuses_bad_storage_with_one_line_and_an_exit_code()
    {
        var garbage = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(garbage, new string('#', 2048));
            foreach (var (storage, code, message) in new[]
            {
                ("sql:" + garbage, 3, "file is not a database"),
                ("dbm:x", 2, "dbm storage is not supported"),
                ("disk:x", 2, "invalid storage type 'disk:x'"),
            })
            {
                using var ns = Start("ns", "-n", "127.0.0.1", "-p", "0", "-s", storage);
                var stderr = ns.StandardError.ReadToEndAsync();
                await ns.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
                Assert.Equal(code, ns.ExitCode);
                var text = (await stderr).Trim();
                Assert.Single(text.Split('\n'));
                Assert.Contains(message, text);
            }
            Assert.Equal(new string('#', 2048), await File.ReadAllTextAsync(garbage));
        }
        finally
        {
            File.Delete(garbage);
        }
    }
}
