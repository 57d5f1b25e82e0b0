using TypedPyro.Interop.Tests.Support;
using TypedPyro.Naming.Redis.Tests.Support;

namespace TypedPyro.Naming.Redis.Tests;

/// <summary>
/// Two <c>typedpyro ns --storage redis://...</c> processes serve Python's <c>pyro4-nsc</c> and Python clients as one
/// registry and survive the loss of either; Redis trouble at start is one line and an exit code.
/// </summary>
public sealed class NsCommandTests
{
    private static Task<string> NscAsync(int port, params string[] command)
        => PythonPeer.RunScriptAsync($$"""
            from Pyro4 import nsc
            nsc.main(["-n", "127.0.0.1", "-p", "{{port}}"] + {{PythonList(command)}})
            """);

    private static string PythonList(string[] items) => "[" + string.Join(", ", items.Select(i => "'" + i.Replace("'", "\\'", StringComparison.Ordinal) + "'")) + "]";

    [Fact]
    public async Task Two_name_servers_on_one_redis_serve_pythons_nsc_and_clients_as_one_registry_and_survive_the_loss_of_either()
    {
        using var redis = RedisServer.Start();
        using var a = await NsProcess.StartAsync(redis.Spec);
        using var b = await NsProcess.StartAsync(redis.Spec);

        Assert.Equal("Registered py.one", (await NscAsync(a.Port, "register", "py.one", "PYRO:one@127.0.0.1:7001")).Trim());
        Assert.Equal("Metadata updated", (await NscAsync(b.Port, "setmeta", "py.one", "blue")).Trim());
        Assert.Equal("PYRO:one@127.0.0.1:7001\nmetadata: ['blue']", (await NscAsync(a.Port, "lookup", "py.one")).Trim().Replace("\r\n", "\n"));
        // A Python client's own calls: locateNS on the second server, lookup and list of what came through the first.
        var client = await PythonPeer.RunScriptAsync($$"""
            import Pyro4
            ns = Pyro4.locateNS("127.0.0.1", {{b.Port}})
            print(ns.lookup("py.one"))
            print(sorted(ns.list(metadata_all=["blue"]).keys()))
            ns.register("py.two", "PYRO:two@127.0.0.1:7002", safe=True)
            try:
                ns.register("py.one", "PYRO:clash@127.0.0.1:1", safe=True)
            except Pyro4.errors.NamingError as e:
                print("refused:", e)
            """);
        Assert.Equal("PYRO:one@127.0.0.1:7001\n['py.one']\nrefused: name already registered: py.one", client.Trim().Replace("\r\n", "\n"));

        a.Kill();
        Assert.Contains("py.two --> PYRO:two@127.0.0.1:7002", await NscAsync(b.Port, "list", "py."));
        Assert.Equal("Registered py.three", (await NscAsync(b.Port, "register", "py.three", "PYRO:three@127.0.0.1:7003")).Trim());

        // The other way round: a name server started again on the first port serves it all, and the second may go.
        using var again = await NsProcess.StartAsync(redis.Spec, port: a.Port);
        b.Kill();
        var listed = await NscAsync(again.Port, "list", "py.");
        Assert.Contains("py.one --> PYRO:one@127.0.0.1:7001", listed);
        Assert.Contains("py.three --> PYRO:three@127.0.0.1:7003", listed);
    }

    [Fact]
    public async Task The_password_comes_from_the_environment_and_never_from_the_option()
    {
        string password = Guid.NewGuid().ToString("N");
        using var redis = RedisServer.Start(password: password);
        var env = new Dictionary<string, string> { [RedisStorageSpec.PasswordVariable] = password };
        using (var ns = await NsProcess.StartAsync(redis.Spec, env))
        {
            Assert.Equal("Registered secret.ok", (await NscAsync(ns.Port, "register", "secret.ok", "PYRO:x@127.0.0.1:1")).Trim());
        }

        var (code, errors) = await NsProcess.RunAsync(null, "ns", "-n", "127.0.0.1", "-p", "0", "-s", redis.Spec);
        Assert.Equal(3, code);
        Assert.Single(errors.Split('\n'));
        Assert.StartsWith($"error: cannot reach redis at 127.0.0.1:{redis.Port}: AuthenticationFailure: ", errors);

        (code, errors) = await NsProcess.RunAsync(null, "ns", "-n", "127.0.0.1", "-p", "0", "-s", $"redis://:{password}@127.0.0.1:{redis.Port}");
        Assert.Equal(2, code);
        Assert.Equal($"error: invalid redis storage 'redis://***@127.0.0.1:{redis.Port}': give the password in {RedisStorageSpec.PasswordVariable}, not in the storage option", errors);
        Assert.DoesNotContain(password, errors);
    }

    [Fact]
    public async Task An_unreachable_redis_at_start_is_one_line_naming_the_address_and_exit_3()
    {
        int port = RedisServer.FreeTcpPort();
        var (code, errors) = await NsProcess.RunAsync(null, "ns", "-n", "127.0.0.1", "-p", "0", "-s", $"redis://127.0.0.1:{port}");
        Assert.Equal(3, code);
        Assert.Single(errors.Split('\n'));
        Assert.StartsWith($"error: cannot reach redis at 127.0.0.1:{port}: ", errors);

        (code, errors) = await NsProcess.RunAsync(null, "ns", "-n", "127.0.0.1", "-p", "0", "-s", "redis://127.0.0.1:1/x");
        Assert.Equal(2, code);
        Assert.Equal("error: invalid redis storage 'redis://127.0.0.1:1/x': the database must be a number, not 'x'", errors);
    }
}
