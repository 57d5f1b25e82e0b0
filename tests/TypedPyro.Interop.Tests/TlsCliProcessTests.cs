using System.Diagnostics;
using TypedPyro.Interop.Tests.Support;
using TypedPyro.Tests.Support;

namespace TypedPyro.Interop.Tests;

/// <summary><c>typedpyro ns</c>, <c>nsc</c>, <c>echo</c> and <c>call</c> honour the PYRO_SSL* variables, as Python's tools do.</summary>
public sealed class TlsCliProcessTests
{
    private static readonly string CliDll = Path.Combine(AppContext.BaseDirectory, "TypedPyro.Cli.dll");
    private static readonly TestCertificates Certs = TestCertificates.Instance;

    // Server and client items side by side: a daemon reads the server ones, a proxy the client ones.
    private static Dictionary<string, string> SslEnvironment() => new()
    {
        ["PYRO_SSL"] = "1",
        ["PYRO_SSL_SERVERCERT"] = Certs.PathOf("server.pem"),
        ["PYRO_SSL_SERVERKEY"] = Certs.PathOf("server.key"),
        ["PYRO_SSL_CACERTS"] = Certs.PathOf("ca.pem"),
    };

    private static Process Start(IDictionary<string, string>? environment, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(CliDll);
        foreach (var a in args) info.ArgumentList.Add(a);
        info.Environment.Remove("PYRO_HMAC_KEY");
        foreach (var name in info.Environment.Keys.Where(k => k.StartsWith("PYRO_SSL", StringComparison.Ordinal)).ToList()) info.Environment.Remove(name);
        if (environment is not null) foreach (var (k, v) in environment) info.Environment[k] = v;
        return Process.Start(info)!;
    }

    private static async Task<(int Code, string Stdout, string Stderr)> RunAsync(IDictionary<string, string>? environment, params string[] args)
    {
        using var process = Start(environment, args);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        return (process.ExitCode, await stdout, await stderr);
    }

    private static async Task<string> WaitForLineAsync(Process process, string prefix)
    {
        while (true)
        {
            var line = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30))
                ?? throw new InvalidOperationException("exited: " + await process.StandardError.ReadToEndAsync());
            if (line.StartsWith(prefix, StringComparison.Ordinal)) return line[prefix.Length..].Trim();
        }
    }

    [Fact]
    public async Task Name_server_and_nsc_over_tls_with_python_as_a_client_too()
    {
        using var ns = Start(SslEnvironment(), "ns", "-n", "localhost", "-p", "0", "-x");
        try
        {
            string uri = await WaitForLineAsync(ns, "URI = ");
            string port = uri[(uri.LastIndexOf(':') + 1)..];

            var (code, stdout, stderr) = await RunAsync(SslEnvironment(), "nsc", "-n", "localhost", "-p", port, "list");
            Assert.True(code == 0, stderr);
            Assert.Contains("Pyro.NameServer --> PYRO:Pyro.NameServer@localhost:" + port, stdout);

            var python = await PythonPeer.RunScriptAsync($"import Pyro4; print(sorted(Pyro4.locateNS('localhost', {port}).list()))", SslEnvironment());
            Assert.Equal("['Pyro.NameServer']", python.Trim());

            // Plain TCP to the TLS port: like pyro4-nsc, the tool prints "Error: ..." and exits 0 when it cannot locate the NS.
            (code, stdout, stderr) = await RunAsync(null, "nsc", "-n", "localhost", "-p", port, "list");
            Assert.True(code == 0, stderr);
            Assert.StartsWith("Error: ", stdout);
            Assert.DoesNotContain("Pyro.NameServer -->", stdout);
            Assert.DoesNotContain("   at ", stdout + stderr); // a message, not a stack trace
            Assert.False(ns.HasExited, "the name server died after a plain connection");
        }
        finally
        {
            ns.Kill(entireProcessTree: true);
        }
    }

    [Fact]
    public async Task Echo_server_and_call_over_tls()
    {
        using var echo = Start(SslEnvironment(), "echo", "-H", "localhost");
        try
        {
            string uri = await WaitForLineAsync(echo, "echo uri: ");
            var (code, stdout, stderr) = await RunAsync(SslEnvironment(), "call", uri, "echo", "'over tls'");
            Assert.True(code == 0, stderr);
            Assert.Equal("'over tls'", stdout.Trim());

            var badCa = SslEnvironment();
            badCa["PYRO_SSL_CACERTS"] = Certs.PathOf("wrongca.pem");
            (code, stdout, stderr) = await RunAsync(badCa, "call", uri, "echo", "1");
            Assert.Equal(3, code);
            Assert.Contains("certificate verify failed", stderr);
            Assert.DoesNotContain("   at ", stderr);

            var missing = SslEnvironment();
            missing["PYRO_SSL_CACERTS"] = Certs.PathOf("no-such-ca.pem");
            (code, _, stderr) = await RunAsync(missing, "call", uri, "echo", "1");
            Assert.NotEqual(0, code);
            Assert.Contains("SSL_CACERTS: no such file or folder", stderr);

            var python = await PythonPeer.RunScriptAsync($"import Pyro4; print(Pyro4.Proxy('{uri}').echo('from python'))", SslEnvironment());
            Assert.Equal("from python", python.Trim());
        }
        finally
        {
            echo.Kill(entireProcessTree: true);
        }
    }
}
