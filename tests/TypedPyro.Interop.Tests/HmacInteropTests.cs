using System.Diagnostics;
using System.Text;
using TypedPyro.Cli.Commands;
using TypedPyro.Interop.Tests.Support;

namespace TypedPyro.Interop.Tests;

/// <summary>HMAC-signed traffic between .NET and Python, both directions, and the refusals Python gives.</summary>
public sealed class HmacInteropTests
{
    private static readonly byte[] Key = Encoding.UTF8.GetBytes("interop-secret");

    private const string PythonClient = """
        import sys, Pyro4, Pyro4.errors
        out = []
        for key in (b"interop-secret", b"wrong", None):
            p = Pyro4.Proxy(URI)
            if key is not None:
                p._pyroHmacKey = key
            try:
                out.append("ok:" + p.echo("signed"))
            except Pyro4.errors.CommunicationError as e:
                out.append("refused:" + str(e).split(": ")[-1])
            finally:
                p._pyroRelease()
        print("|".join(out))
        """;

    [Fact]
    public async Task Python_proxy_with_and_without_the_key_against_a_dotnet_daemon()
    {
        await using var daemon = new PyroDaemon(new PyroDaemonOptions { Host = "127.0.0.1", HmacKey = Key });
        var uri = daemon.Register(new EchoServerObject(false, TextWriter.Null).CreateDispatcher(), EchoCommand.ObjectName);
        daemon.Start();
        var output = await PythonPeer.RunScriptAsync(PythonClient.Replace("URI", $"'{uri}'"));
        Assert.Equal("ok:signed|refused:message hmac mismatch|refused:hmac key config not symmetric", output.Trim());
    }

    [Fact]
    public async Task Dotnet_proxy_with_and_without_the_key_against_a_python_daemon()
    {
        var info = new ProcessStartInfo(PythonPeer.Python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "-u", "-m", "Pyro4.test.echoserver", "-H", "127.0.0.1" }) info.ArgumentList.Add(a);
        info.Environment["PYRO_HMAC_KEY"] = "interop-secret";
        using var process = Process.Start(info)!;
        try
        {
            string? uri = null;
            while (uri is null)
            {
                var line = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(20)) ?? throw new InvalidOperationException(await process.StandardError.ReadToEndAsync());
                if (line.StartsWith("echo uri: ", StringComparison.Ordinal)) uri = line["echo uri: ".Length..].Trim();
            }
            await using (var good = new PyroProxy(uri, new PyroProxyOptions { HmacKey = Key }))
            {
                Assert.Equal("signed", await good.InvokeAsync("echo", ["signed"]));
            }
            await using (var wrong = new PyroProxy(uri, new PyroProxyOptions { HmacKey = "wrong"u8.ToArray() }))
            {
                var e = await Assert.ThrowsAsync<CommunicationException>(() => wrong.InvokeAsync("echo", ["x"]));
                Assert.Contains("message hmac mismatch", e.Message);
            }
            await using (var none = new PyroProxy(uri))
            {
                var e = await Assert.ThrowsAsync<CommunicationException>(() => none.InvokeAsync("echo", ["x"]));
                Assert.Contains("hmac key config not symmetric", e.Message);
            }
        }
        finally
        {
            process.Kill(entireProcessTree: true);
        }
    }
}
