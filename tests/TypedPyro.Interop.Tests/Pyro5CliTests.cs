using TypedPyro.Cli.Commands;
using TypedPyro.Interop.Tests.Support;

namespace TypedPyro.Interop.Tests;

/// <summary>
/// <c>typedpyro call --protocol 5</c> against our daemon, which serves the echo object to Pyro4 and Pyro5 callers on
/// one port (the daemon's Pyro5 side is checked against Python Pyro5's recorded conversations in TypedPyro.Tests).
/// </summary>
public sealed class Pyro5CliTests(DotNetEchoDaemonFixture echo) : IClassFixture<DotNetEchoDaemonFixture>
{
    private readonly string _uri = echo.Uri;

    private async Task<(int Code, string Stdout, string Stderr)> Call(int protocol, string method, params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = await CallCommand.RunAsync(_uri, method, args, "serpent", false, 20, stdout, stderr, CancellationToken.None, protocol);
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Theory]
    [InlineData(4)]
    [InlineData(5)]
    public async Task Call_with_either_protocol_on_one_port(int protocol)
    {
        var (code, stdout, _) = await Call(protocol, "echo", "{'a': (1, 2.5, None, True)}");
        Assert.Equal(0, code);
        Assert.Equal("{'a': (1, 2.5, None, True)}", stdout.Trim());
        (code, stdout, _) = await Call(protocol, "generator");
        Assert.Equal(0, code);
        Assert.Equal("['one', 'two', 'three']", stdout.Trim());
        (code, _, var stderr) = await Call(protocol, "error");
        Assert.Equal(CallCommand.RemoteError, code);
        // Each protocol's echo server has its own text for error().
        var text = protocol == 5 ? "this is the generated error from echoserver echo() method" : "expected error from echoserver error() method";
        Assert.StartsWith("remote exception: builtins.ValueError: " + text, stderr);
    }

    private static async Task<(int Code, string Stdout, string Stderr)> Nsc(int port, int protocol, params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = await NscCommand.RunAsync("127.0.0.1", port, null, false, args, new StringReader("y\n"), stdout, stderr, null, CancellationToken.None, protocol);
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Theory]
    [InlineData(4)]
    [InlineData(5)]
    public async Task Nsc_with_either_protocol_against_one_name_server(int protocol)
    {
        await using var ns = TypedPyro.Naming.NameServerHost.Create(new TypedPyro.Naming.NameServerHostOptions { Host = "127.0.0.1", Port = 0, EnableBroadcast = false });
        ns.Start();
        int port = ns.Uri.Port!.Value;
        Assert.Equal((0, "Registered cli.one\n"), Strip(await Nsc(port, protocol, "register", "cli.one", _uri)));
        Assert.Equal((0, "Metadata updated\n"), Strip(await Nsc(port, protocol, "setmeta", "cli.one", "red", "blue")));
        var (code, stdout, _) = await Nsc(port, protocol, "yplookup_all", "red", "blue");
        Assert.Equal(0, code);
        Assert.Equal($"--------START LIST  - searched by metadata\ncli.one --> {_uri}\n    metadata: ['blue', 'red']\n--------END LIST  - searched by metadata\n", stdout.ReplaceLineEndings("\n"));
        (code, stdout, _) = await Nsc(port, protocol, "list", "cli.");
        Assert.Contains($"cli.one --> {_uri}", stdout);
        (code, stdout, _) = await Nsc(port, protocol, "lookup", "cli.one");
        Assert.Equal($"{_uri}\nmetadata: ['blue', 'red']\n", stdout.ReplaceLineEndings("\n"));
        (code, stdout, _) = await Nsc(port, protocol, "removematching", "cli\\..*");
        Assert.Equal("Potentially removing lots of items from the Name server. Are you sure (y/n)?1 items removed.\n", stdout.ReplaceLineEndings("\n"));
        Assert.Equal((0, "Error: NamingError - unknown name: cli.one\n"), Strip(await Nsc(port, protocol, "lookup", "cli.one")));
    }

    private static (int, string) Strip((int Code, string Stdout, string Stderr) r) => (r.Code, r.Stdout.ReplaceLineEndings("\n"));

    [Theory]
    [InlineData("nsc", "--protocol", "5", "-n", "127.0.0.1", "-p", "1", "ping")]
    [InlineData("echo", "-H", "127.0.0.1", "-n", "--protocol", "5")]
    [InlineData("call", "--protocol", "5", "PYRO:x@127.0.0.1:1", "ping")]
    public async Task An_HMAC_key_with_Pyro5_is_a_one_line_usage_error(params string[] args)
    {
        // A process of its own: the key comes from the environment, which the other tests share.
        var info = new System.Diagnostics.ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "TypedPyro.Cli.dll"), .. args])
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        info.Environment["PYRO_HMAC_KEY"] = "a-pyro4-only-secret";
        using var process = System.Diagnostics.Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        _ = process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(2, process.ExitCode);
        Assert.Equal(["error: PYRO_HMAC_KEY is set, but Pyro5 (--protocol 5) has no HMAC signing"], (await stderr).Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }
}
