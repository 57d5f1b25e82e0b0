using System.Diagnostics;
using TypedPyro.Interop.Tests.Support;

namespace TypedPyro.Interop.Tests;

/// <summary>The real <c>typedpyro</c> executable (argument parsing, output, exit codes), not just its code paths.</summary>
public sealed class CliProcessTests
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

    private static async Task<(int Code, string Stdout, string Stderr)> RunAsync(params string[] args)
    {
        using var process = Start(args);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        return (process.ExitCode, await stdout, await stderr);
    }

    [Fact]
    public async Task Echo_server_process_serves_call_and_python_and_shuts_down_on_request()
    {
        using var server = Start("echo", "-H", "127.0.0.1");
        try
        {
            string? uri = null;
            while (uri is null)
            {
                var line = await server.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30))
                    ?? throw new InvalidOperationException("echo exited: " + await server.StandardError.ReadToEndAsync());
                if (line.StartsWith("echo uri: ", StringComparison.Ordinal)) uri = line["echo uri: ".Length..];
            }
            Assert.Matches(@"^PYRO:test\.echoserver@127\.0\.0\.1:\d+$", uri);

            var (code, stdout, stderr) = await RunAsync("call", uri, "echo", "[1, 'two', (3.0, None)]");
            Assert.True(code == 0, stderr);
            Assert.Equal("[1, 'two', (3.0, None)]", stdout.Trim());

            (code, stdout, stderr) = await RunAsync("call", "--serializer", "json", uri, "error");
            Assert.Equal(1, code);
            Assert.Contains("builtins.ValueError: expected error from echoserver error() method", stderr);
            Assert.DoesNotContain("Unhandled exception", stderr);

            var python = await PythonPeer.RunScriptAsync($"import Pyro4; print(Pyro4.Proxy('{uri}').echo('from python'))");
            Assert.Equal("from python", python.Trim());

            (code, _, _) = await RunAsync("call", uri, "shutdown");
            Assert.Equal(0, code);
            await server.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(15));
            Assert.Equal(0, server.ExitCode);
        }
        finally
        {
            if (!server.HasExited) server.Kill(entireProcessTree: true);
        }
    }

    [Fact]
    public async Task Bad_input_gets_one_line_and_a_nonzero_exit()
    {
        var (code, stdout, stderr) = await RunAsync("call", "not-a-uri", "echo");
        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        Assert.Single(stderr.Trim().Split('\n'));
        (code, _, stderr) = await RunAsync("call", "PYRO:x@127.0.0.1:1", "echo", "1");
        Assert.Equal(3, code);
        Assert.Single(stderr.Trim().Split('\n'));
    }
}
