using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Reflection;
using TypedPyro.Interop.Tests.Support;

namespace TypedPyro.Generators.Tests;

/// <summary>
/// <c>typedpyro scaffold</c> against Python Pyro4 servers (the echo server, the warehouse tutorial's server found
/// through Python's name server): the contract it writes is compiled with the generator, and the generated proxy
/// calls the server.
/// </summary>
public sealed class ScaffoldTests
{
    private const string Tutorial = "/usr/share/doc/pyro4/examples/warehouse/phase3";

    /// <summary>The typedpyro executable as this solution built it, in the tests' configuration.</summary>
    private static string CliDll()
    {
        string configuration = AppContext.BaseDirectory.Contains("/Release/", StringComparison.Ordinal) ? "Release" : "Debug";
        var path = Path.GetFullPath(Path.Combine(GeneratorHarness.ProjectDir, "..", "..", "src", "TypedPyro.Cli", "bin", configuration, "net10.0", "TypedPyro.Cli.dll"));
        Assert.True(File.Exists(path), $"{path} not built");
        return path;
    }

    private static async Task<(int Code, string Stdout, string Stderr)> Scaffold(IDictionary<string, string>? environment, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(CliDll());
        info.ArgumentList.Add("scaffold");
        foreach (var a in args) info.ArgumentList.Add(a);
        info.Environment.Remove("PYRO_HMAC_KEY");
        if (environment is not null) foreach (var (k, v) in environment) info.Environment[k] = v;
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        return (process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Compiles the scaffolded contract with a caller, runs <c>Caller.Run(uri)</c> and returns its text.</summary>
    private static async Task<string> CompileAndCall(string contract, string caller, string uri)
    {
        var generated = GeneratorHarness.Run(contract, caller);
        var run = GeneratorHarness.Load(generated.Output).GetType("Scaffolded.Caller", throwOnError: true)!.GetMethod("Run", BindingFlags.Public | BindingFlags.Static)!;
        // Off the test's context: the synchronous proxy members block on the connection.
        return await Task.Run(() => (string)run.Invoke(null, [uri])!).WaitAsync(TimeSpan.FromSeconds(60));
    }

    /// <summary>A class <c>Scaffolded.Caller</c> whose <c>Run(uri)</c> runs <paramref name="body"/> on a proxy named <c>remote</c>.</summary>
    private static string Caller(string contract, string body) => $$"""
        namespace Scaffolded;
        public static class Caller
        {
            public static string Run(string uri)
            {
                var remote = TypedPyro.Pyro.Proxy<{{contract}}>(uri);
                try
                {
                    {{body}}
                }
                finally
                {
                    ((System.IDisposable)remote).Dispose();
                }
            }
        }
        """;

    [Fact]
    public async Task Pythons_echo_server_scaffolded_with_samples_compiles_and_is_called_through_the_generated_proxy()
    {
        await using var server = PythonPeer.Start("-m", "Pyro4.test.echoserver", "-H", "127.0.0.1");
        var uri = await server.WaitForAsync(@"^echo uri: (\S+)");
        var (code, contract, stderr) = await Scaffold(null, uri, "--namespace", "Scaffolded", "--sample", "echo('hello')", "--sample", "generator()", "--sample", "verbose", "--sample", "inf()");
        Assert.True(code == 0, stderr);

        Assert.Contains("[PyroNaming(PyroNamingPolicy.SnakeCase)]\npublic interface IEchoserver", contract.ReplaceLineEndings("\n"));
        Assert.Contains("    string Echo(string arg1);", contract);
        Assert.Contains("    System.Collections.Generic.IEnumerable<string> Generator();", contract);
        Assert.Contains("    bool Verbose { get; set; }", contract);
        Assert.Contains("    double Inf();", contract);
        Assert.Contains("    [Oneway]\n    void OnewayEcho();", contract.ReplaceLineEndings("\n"));
        Assert.Contains("    // scaffold: parameters and return type unknown (metadata names methods only): declare them, or run with --sample \"slow(ARGS)\"\n"
            + "    /// <summary>Remote method <c>slow</c>.</summary>\n    object? Slow();", contract.ReplaceLineEndings("\n"));
        Assert.Contains("// scaffold: skipped __dunder__:", contract);

        string caller = Caller("IEchoserver", """return remote.Echo("through the scaffold") + "|" + string.Join(",", remote.Generator()) + "|" + remote.Verbose + "|" + double.IsPositiveInfinity(remote.Inf());""");
        Assert.Equal("through the scaffold|one,two,three|False|True", await CompileAndCall(contract, caller, uri));
    }

    [Fact]
    public async Task The_warehouse_tutorials_server_scaffolded_by_name_compiles_and_works_through_the_generated_proxy()
    {
        int nsPort = FreePort();
        await using var ns = PythonPeer.Start("-m", "Pyro4.naming", "-n", "127.0.0.1", "-p", nsPort.ToString(), "-x");
        await ns.WaitForAsync(@"^URI = (\S+)");
        var environment = new Dictionary<string, string> { ["PYRO_NS_HOST"] = "127.0.0.1", ["PYRO_NS_PORT"] = nsPort.ToString() };
        // The tutorial's server, unchanged: Daemon.serveSimple registers example.warehouse in the name server.
        await using var server = PythonPeer.StartWithEnvironment(environment, "-c",
            $"import os, sys; os.chdir('{Tutorial}'); sys.path.insert(0, '{Tutorial}'); exec(open('warehouse.py').read())");
        var uri = await server.WaitForAsync(@"uri = (PYRO:\S+)");

        // Without samples: names only, and it compiles.
        var (code, bare, stderr) = await Scaffold(environment, "PYRONAME:example.warehouse", "--namespace", "Scaffolded");
        Assert.True(code == 0, stderr);
        Assert.Contains("public interface IWarehouse", bare);
        Assert.Contains("    object? ListContents();", bare);
        string bareCaller = Caller("IWarehouse", """return string.Join(",", System.Linq.Enumerable.Cast<object>((System.Collections.IEnumerable)remote.ListContents()!));""");
        Assert.Equal("chair,bike,flashlight,laptop,couch", await CompileAndCall(bare, bareCaller, uri));

        // With samples (store, then take back: the warehouse ends as it was), into a file.
        string file = Path.Combine(Path.GetTempPath(), $"IWarehouse-{Guid.NewGuid():N}.cs");
        try
        {
            (code, var stdout, stderr) = await Scaffold(environment, "PYRONAME:example.warehouse", "--namespace", "Scaffolded", "-o", file,
                "--sample", "list_contents()", "--sample", "store('ann', 'pen')", "--sample", "take('ann', 'pen')");
            Assert.True(code == 0, stderr);
            Assert.Equal($"wrote {file}: 3 methods, 0 attributes", stdout.Trim());
            var typed = await File.ReadAllTextAsync(file);
            Assert.Contains("    System.Collections.Generic.List<string> ListContents();", typed);
            Assert.Contains("    void Store(string arg1, string arg2);", typed);
            Assert.Contains("    void Take(string arg1, string arg2);", typed);
            string visit = Caller("IWarehouse", """remote.Take("Janet", "bike"); remote.Store("Janet", "pen"); return string.Join(",", remote.ListContents());""");
            Assert.Equal("chair,flashlight,laptop,couch,pen", await CompileAndCall(typed, visit, uri));
        }
        finally
        {
            File.Delete(file);
        }
        for (int i = 0; i < 100 && !server.Output.Contains("Janet stored the pen.", StringComparison.Ordinal); i++) await Task.Delay(50);
        Assert.Contains("Janet took the bike.", server.Output);
    }

    [Fact]
    public async Task Wire_names_the_policy_cannot_derive_get_PyroName_and_still_reach_the_server()
    {
        // A .NET daemon's object with names snake_case cannot give back: an acronym, a C# keyword, a dash, and two
        // names that differ only in case.
        string[] names = ["Echo", "class", "echo", "getHTTP", "list_contents", "x-y"];
        var builder = new PyroObjectBuilder("Odd");
        foreach (var name in names) builder.Method(name, _ => name);
        await using var daemon = new PyroDaemon(new PyroDaemonOptions { Host = "127.0.0.1" });
        var uri = daemon.Register(builder.Build(), "odd.names").ToString();
        daemon.Start();

        var (code, contract, stderr) = await Scaffold(null, [uri, "--namespace", "Scaffolded", .. names.SelectMany(n => new[] { "--sample", n + "()" })]);
        Assert.True(code == 0, stderr);
        Assert.Contains("[PyroNaming(PyroNamingPolicy.SnakeCase)]", contract);
        Assert.Contains("    [PyroName(\"Echo\")]\n    string Echo();", contract.ReplaceLineEndings("\n"));
        Assert.Contains("    [PyroName(\"echo\")]\n    string Echo2();", contract.ReplaceLineEndings("\n"));
        Assert.Contains("    [PyroName(\"getHTTP\")]\n    string GetHTTP();", contract.ReplaceLineEndings("\n"));
        Assert.Contains("    [PyroName(\"x-y\")]\n    string XY();", contract.ReplaceLineEndings("\n"));
        Assert.Contains("</summary>\n    string Class();", contract.ReplaceLineEndings("\n"));
        Assert.Contains("</summary>\n    string ListContents();", contract.ReplaceLineEndings("\n"));

        string caller = Caller("INames", """return string.Join(",", remote.Echo(), remote.Class(), remote.Echo2(), remote.GetHTTP(), remote.ListContents(), remote.XY());""");
        Assert.Equal(string.Join(",", names), await CompileAndCall(contract, caller, uri));
    }

    [Theory]
    [InlineData("not-a-uri", 2)]
    [InlineData("PYRO:obj@127.0.0.1:1", 3)]
    public async Task Bad_input_is_one_line_and_a_nonzero_exit(string uri, int expected)
    {
        var (code, stdout, stderr) = await Scaffold(null, uri);
        Assert.Equal(expected, code);
        Assert.Equal("", stdout);
        Assert.StartsWith("error: ", stderr);
        Assert.Single(stderr.Trim().Split('\n'));
    }

    private static int FreePort()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }
}
