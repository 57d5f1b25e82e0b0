using TypedPyro.Cli.Commands;
using TypedPyro.Interop.Tests.Support;
using TypedPyro.Naming;

namespace TypedPyro.Interop.Tests.Naming;

/// <summary>Objects registered in one side's name server and called by name from the other side; discovery by broadcast; a shared SQLite store.</summary>
public sealed class CrossRegistrationTests
{
    [Fact]
    public async Task A_dotnet_echo_server_registered_in_pythons_name_server_is_called_by_a_python_client_by_name()
    {
        var (python, nsUri) = await NamingPeers.StartPythonAsync("-n", "127.0.0.1", "-p", "0", "-x");
        await using var _ = python;
        var config = NamingPeers.LoopbackConfig().With(c => c.NsPort = nsUri.Port!.Value);
        using var stop = new CancellationTokenSource();
        var output = new StringWriter();
        // typedpyro echo -n: finds the name server through NS_HOST:NS_PORT and registers test.echoserver.
        var echo = Task.Run(() => EchoCommand.RunAsync("127.0.0.1", 0, null, verbose: true, quiet: false, TextWriter.Synchronized(output), stop.Token, naming: true, startNameServer: false, config: config));
        try
        {
            await WaitForAsync(() => output.ToString().Contains("echoserver running."), echo, () => output.ToString());
            Assert.Contains($"using name server at {nsUri}", output.ToString());
            var env = NamingPeers.PythonEnvironment(config);
            var result = await PythonPeer.RunScriptAsync("""
                import Pyro4
                print(Pyro4.Proxy("PYRONAME:test.echoserver").echo("by name"))
                with Pyro4.locateNS() as ns:
                    print(ns.lookup("test.echoserver").location.startswith("127.0.0.1:"))
                """, env);
            Assert.Equal("by name\nTrue", result.Trim().Replace("\r\n", "\n"));
        }
        finally
        {
            stop.Cancel();
            await echo;
        }
    }

    [Fact]
    public async Task A_python_echo_server_registered_in_our_name_server_is_called_by_a_dotnet_proxy_by_name()
    {
        await using var ns = NamingPeers.StartDotNet();
        var config = NamingPeers.LoopbackConfig().With(c => c.NsPort = ns.Uri.Port!.Value);
        // Python's echo server -n locates our name server through NS_HOST/NS_PORT.
        var env = NamingPeers.PythonEnvironment(config);
        var script = "import os\n" + string.Join("\n", env.Select(kv => $"os.environ['{kv.Key}'] = '{kv.Value}'")) + "\nimport Pyro4.test.echoserver as e\ne.main(['-n', '-H', '127.0.0.1'])\n";
        await using var python = PythonPeer.Start("-c", script);
        await python.WaitForAsync("^echoserver running");
        Assert.StartsWith("PYRO:test.echoserver@127.0.0.1:", ns.NameServer.Lookup("test.echoserver").ToString());

        var options = new PyroProxyOptions { Config = config, Timeout = TimeSpan.FromSeconds(10) };
        await using var byName = new PyroProxy("PYRONAME:test.echoserver", options);
        Assert.Equal("hello from .NET", await byName.InvokeAsync("echo", ["hello from .NET"]));
        await using var byLocation = new PyroProxy($"PYRONAME:test.echoserver@{ns.Uri.Location}", options);
        Assert.Equal(42L, await byLocation.InvokeAsync("echo", [42L]));
        ns.NameServer.SetMetadata("test.echoserver", ["echo", "python"]);
        await using var byMeta = new PyroProxy($"PYROMETA:python,echo@{ns.Uri.Location}", options);
        Assert.Equal("meta", await byMeta.InvokeAsync("echo", ["meta"]));
    }

    [Fact]
    public async Task Echo_with_its_own_name_server_serves_python_clients_by_name()
    {
        var config = NamingPeers.LoopbackConfig();
        using var stop = new CancellationTokenSource();
        var output = new StringWriter();
        var echo = Task.Run(() => EchoCommand.RunAsync("127.0.0.1", 0, null, verbose: true, quiet: false, TextWriter.Synchronized(output), stop.Token, naming: false, startNameServer: true, config: config));
        try
        {
            await WaitForAsync(() => output.ToString().Contains("echoserver running."), echo, () => output.ToString());
            Assert.Contains($"using name server at PYRO:Pyro.NameServer@127.0.0.1:{config.NsPort}", output.ToString());
            Assert.Contains("not using a broadcast server", output.ToString());
            var result = await PythonPeer.RunScriptAsync($"import Pyro4\nprint(Pyro4.Proxy('PYRONAME:test.echoserver@127.0.0.1:{config.NsPort}').echo('N'))");
            Assert.Equal("N", result.Trim());
        }
        finally
        {
            stop.Cancel();
            await echo;
        }
    }

    [Fact]
    public async Task Python_finds_our_name_server_by_broadcast()
    {
        await using var ns = NamingPeers.StartDotNet(host: "0.0.0.0");
        var responder = ns.BroadcastServer!;
        var config = NamingPeers.LoopbackConfig().With(c => c.NsBcPort = responder.Port);
        var result = await PythonPeer.RunScriptAsync("""
            import Pyro4
            ns = Pyro4.locateNS()
            print(ns._pyroUri)
            ns.ping()
            print(ns.count())
            """, NamingPeers.PythonEnvironment(config));
        Assert.Equal($"PYRO:Pyro.NameServer@127.0.0.1:{ns.Daemon.BoundEndPoint!.Port}\n1", result.Trim().Replace("\r\n", "\n"));
        Assert.True(responder.RequestsAnswered >= 1);
    }

    [Fact]
    public async Task We_find_pythons_name_server_by_broadcast()
    {
        int bcPort = NamingPeers.FreeUdpPort();
        var (python, uri) = await NamingPeers.StartPythonAsync("-n", "0.0.0.0", "-p", "0", "--bcport", bcPort.ToString());
        await using var _ = python;
        await python.WaitForAsync("^Broadcast server running on (.*)");
        var options = new PyroProxyOptions { Config = NamingPeers.LoopbackConfig().With(c => c.NsBcPort = bcPort), Timeout = TimeSpan.FromSeconds(10) };
        await using var ns = await NameServerLocator.LocateAsync(options: options);
        Assert.Equal($"PYRO:Pyro.NameServer@127.0.0.1:{uri.Port}", ns.Uri.ToString());
        Assert.Equal(1, await ns.CountAsync());
    }

    [Fact]
    public async Task Blocking_calls_resolve_pyroname_and_pyrometa_through_pythons_name_server()
    {
        int bcPort = NamingPeers.FreeUdpPort();
        var (python, nsUri) = await NamingPeers.StartPythonAsync("-n", "0.0.0.0", "-p", "0", "--bcport", bcPort.ToString());
        await using var _ = python;
        await python.WaitForAsync("^Broadcast server running on (.*)");
        await using var daemon = new PyroDaemon(new PyroDaemonOptions { Host = "127.0.0.1" });
        var thing = daemon.Register(new PyroObjectBuilder("Thing").Method("who", _ => "dotnet thing").Build(), "thing");
        daemon.Start();
        var config = NamingPeers.LoopbackConfig().With(c => c.NsBcPort = bcPort);
        await using (var register = await NameServerLocator.LocateAsync("127.0.0.1", nsUri.Port, options: new PyroProxyOptions { Config = config }))
            await register.RegisterAsync("dotnet.thing", thing, metadata: ["kind:thing"]);

        // A blocking first call resolves with blocking calls: by broadcast and lookup(), and by list(metadata_all=...).
        var options = new PyroProxyOptions { Config = config, Timeout = TimeSpan.FromSeconds(10) };
        await using var byName = new PyroProxy("PYRONAME:dotnet.thing", options);
        await using var byMeta = new PyroProxy($"PYROMETA:kind:thing@127.0.0.1:{nsUri.Port}", options);
        var answers = await Task.Run(() => (byName.Invoke("who"), byMeta.Invoke("who"))).WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(("dotnet thing", "dotnet thing"), answers);
        Assert.Equal(thing, byName.ResolvedUri);
        Assert.Equal(thing, byMeta.ResolvedUri);
    }

    [Fact]
    public async Task A_sqlite_store_is_shared_with_pythons_sql_storage()
    {
        var path = Path.Combine(Path.GetTempPath(), "typedpyro-shared-" + Guid.NewGuid().ToString("N") + ".sqlite");
        try
        {
            await PythonPeer.RunScriptAsync($$"""
                from Pyro4.naming_storage import SqlStorage
                s = SqlStorage({{System.Text.Json.JsonSerializer.Serialize(path)}})
                s["py.one"] = ("PYRO:one@127.0.0.1:1", {"a", "b"})
                s["py.two"] = ("PYRO:two@127.0.0.1:2", None)
                """);
            using (var ns = new NameServer(NameServerStorage.Open("sql:" + path)))
            {
                Assert.Equal(["a", "b"], ns.LookupRegistration("py.one").Metadata.Order(StringComparer.Ordinal));
                Assert.Equal("PYRO:two@127.0.0.1:2", ns.Lookup("py.two").ToString());
                ns.Register("net.three", "PYRO:three@127.0.0.1:3", metadata: ["c"]);
                ns.Remove("py.two");
            }
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            var seen = await PythonPeer.RunScriptAsync($"""
                from Pyro4.naming_storage import SqlStorage
                s = SqlStorage({System.Text.Json.JsonSerializer.Serialize(path)})
                for name, (uri, meta) in sorted(s.everything(return_metadata=True).items()):
                    print(name, uri, sorted(meta))
                """);
            Assert.Equal("net.three PYRO:three@127.0.0.1:3 ['c']\npy.one PYRO:one@127.0.0.1:1 ['a', 'b']", seen.Trim().Replace("\r\n", "\n"));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            File.Delete(path);
        }
    }

    private static async Task WaitForAsync(Func<bool> condition, Task running, Func<string> describe)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!condition())
        {
            if (running.IsCompleted) throw new InvalidOperationException("stopped early: " + describe() + (running.IsFaulted ? running.Exception!.ToString() : $" (exit {((Task<int>)running).Result})"));
            if (DateTime.UtcNow > deadline) throw new TimeoutException(describe());
            await Task.Delay(20);
        }
    }
}
