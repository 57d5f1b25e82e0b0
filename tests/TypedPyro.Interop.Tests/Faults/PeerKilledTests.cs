using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using TypedPyro.Interop.Tests.Support;

namespace TypedPyro.Interop.Tests.Faults;

/// <summary>A real Python Pyro4 daemon killed while a .NET proxy waits for its reply, then started again on the same port.</summary>
public sealed class PeerKilledTests
{
    private const string Server = """
        import sys, time, Pyro4
        @Pyro4.expose
        class Echo(object):
            def echo(self, m): return m
            def slow(self, m):
                time.sleep(30); return m
        d = Pyro4.Daemon(host="127.0.0.1", port=int(sys.argv[1]))
        d.register(Echo(), "echo")
        print("ready", flush=True)
        d.requestLoop()
        """;

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [Fact]
    public async Task Daemon_killed_mid_call_gives_a_typed_error_within_commtimeout_and_the_next_call_reconnects()
    {
        var port = FreePort();
        var timeout = TimeSpan.FromSeconds(10);
        await using var proxy = new PyroProxy($"PYRO:echo@127.0.0.1:{port}", new PyroProxyOptions { Timeout = timeout });

        var first = PythonPeer.Start("-c", Server, port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await first.WaitForAsync("^ready");
        Assert.Equal("before", await proxy.InvokeAsync("echo", ["before"]));

        var call = proxy.InvokeAsync("slow", ["never"]);
        await Task.Delay(300); // the request is on its way; killing the peer is what is under test, not a race
        var clock = Stopwatch.StartNew();
        await first.DisposeAsync(); // kills the process
        var error = await Assert.ThrowsAnyAsync<CommunicationException>(() => call);
        Assert.True(clock.Elapsed < timeout, $"the error came after {clock.Elapsed}, beyond COMMTIMEOUT: {error}");

        await using var second = PythonPeer.Start("-c", Server, port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await second.WaitForAsync("^ready");
        Assert.Equal("after", await proxy.InvokeAsync("echo", ["after"]));
    }
}
