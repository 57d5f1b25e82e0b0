using System.Net.Sockets;
using TypedPyro.Interop.Tests.Support;

namespace TypedPyro.Interop.Tests.Faults;

/// <summary>
/// Fault injection against a .NET daemon, seen from real Python Pyro4 4.82 clients: thread-pool exhaustion, clients
/// that vanish or stall mid-message, and graceful shutdown with calls in flight.
/// </summary>
public sealed class DaemonFaultTests
{
    private static IPyroDispatcher EchoObject() => new PyroObjectBuilder("Echo")
        .Method("echo", call => call.Arg(0, "message"))
        .MethodAsync("slow", async call => { await Task.Delay(1500); return call.Arg(0, "message"); })
        .Build();

    [Fact]
    public async Task Thread_pool_exhaustion_is_refused_with_no_free_workers_and_served_again_afterwards()
    {
        var config = PyroConfig.Default.With(c => c.ThreadPoolSize = 2);
        await using var daemon = new PyroDaemon(new PyroDaemonOptions { Host = "127.0.0.1", Config = config });
        var uri = daemon.Register(EchoObject(), "echo");
        daemon.Start();

        var output = await PythonPeer.RunScriptAsync($$"""
            import Pyro4, Pyro4.errors
            a = Pyro4.Proxy('{{uri}}'); b = Pyro4.Proxy('{{uri}}'); c = Pyro4.Proxy('{{uri}}')
            a._pyroBind(); b._pyroBind()
            try:
                c._pyroBind(); print("third served")
            except Pyro4.errors.CommunicationError as e:
                print("refused: " + str(e))
            a._pyroRelease()
            import time
            for _ in range(100):
                try:
                    c._pyroBind(); break
                except Pyro4.errors.CommunicationError:
                    time.sleep(0.05)
            print(c.echo("again"), b.echo("still"))
            """);
        var lines = output.Trim().Split('\n');
        Assert.Contains("no free workers", lines[0]);
        Assert.StartsWith("refused: ", lines[0]);
        Assert.Equal("again still", lines[1].Trim());
    }

    [Fact]
    public async Task Clients_that_vanish_or_stall_mid_message_do_not_stop_others_being_served()
    {
        var config = PyroConfig.Default.With(c => c.ThreadPoolSize = 4);
        await using var daemon = new PyroDaemon(new PyroDaemonOptions { Host = "127.0.0.1", Config = config });
        var uri = daemon.Register(EchoObject(), "echo");
        daemon.Start();
        var port = uri.Port!.Value;

        // Vanishing clients: half a header, then gone (repeated more often than the pool has workers: each must be freed).
        for (int i = 0; i < 10; i++)
        {
            using var vanishing = new TcpClient();
            await vanishing.ConnectAsync("127.0.0.1", port);
            await vanishing.GetStream().WriteAsync("PYRO\x00\x30"u8.ToArray());
        }
        // A half-open client: connected, sent part of a header, never sends more nor closes (until the test ends).
        using var stalled = new TcpClient();
        await stalled.ConnectAsync("127.0.0.1", port);
        await stalled.GetStream().WriteAsync("PYRO"u8.ToArray());

        var output = await PythonPeer.RunScriptAsync($$"""
            import Pyro4, time
            for _ in range(100):
                try:
                    print(Pyro4.Proxy('{{uri}}').echo("served")); break
                except Pyro4.errors.CommunicationError:
                    time.sleep(0.05)
            """);
        Assert.Equal("served", output.Trim());
    }

    [Fact]
    public async Task Graceful_shutdown_finishes_in_flight_calls_once_and_refuses_new_ones_with_pythons_error()
    {
        var daemon = new PyroDaemon(new PyroDaemonOptions { Host = "127.0.0.1" });
        var uri = daemon.Register(EchoObject(), "echo");
        daemon.Start();

        await using var python = PythonPeer.Start("-c", $$"""
            import Pyro4, Pyro4.errors, threading, sys
            results = []
            def call(i):
                results.append(Pyro4.Proxy('{{uri}}').slow("call%d" % i))
            threads = [threading.Thread(target=call, args=(i,)) for i in range(3)]
            for t in threads: t.start()
            print("started", flush=True)
            sys.stdin.readline()
            for t in threads: t.join()
            print("results " + ",".join(sorted(results)))
            try:
                Pyro4.Proxy('{{uri}}').echo("late"); print("late served")
            except Pyro4.errors.CommunicationError as e:
                print("refused " + type(e).__name__)
            """);
        await python.WaitForAsync("^started");
        // The three calls are being served when the shutdown starts: wait until the daemon sees three connections.
        await Task.Delay(500);
        var shutdown = daemon.ShutdownGracefullyAsync(new CancellationTokenSource(TimeSpan.FromSeconds(20)).Token);
        Assert.False(daemon.IsServing);
        await shutdown;
        await python.WriteLineAsync("go");
        Assert.Equal("call0,call1,call2", await python.WaitForAsync("^results (.*)$"));
        Assert.Equal("CommunicationError", await python.WaitForAsync("^refused (.*)$"));
        Assert.DoesNotContain("late served", python.Output);
        await daemon.DisposeAsync();
    }
}
