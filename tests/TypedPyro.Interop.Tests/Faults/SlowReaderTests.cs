using TypedPyro.Interop.Tests.Support;

namespace TypedPyro.Interop.Tests.Faults;

/// <summary>
/// A Python client that sends 40 MB of echo requests on one connection and never reads a reply: the daemon stops
/// reading that connection once its replies cannot be written (memory bounded), and other clients are still served.
/// </summary>
public sealed class SlowReaderTests
{
    [Fact]
    public async Task A_client_that_never_reads_its_replies_keeps_daemon_memory_bounded_and_others_served()
    {
        await using var daemon = new PyroDaemon(new PyroDaemonOptions { Host = "127.0.0.1" });
        var uri = daemon.Register(new PyroObjectBuilder("Echo").Method("echo", call => call.Arg(0, "message")).Build(), "echo");
        daemon.Start();
        long heapBefore = GC.GetTotalMemory(forceFullCollection: true);

        await using var python = PythonPeer.Start("-c", $$"""
            import socket, threading, sys, Pyro4, Pyro4.message as m, Pyro4.util
            ser = Pyro4.util.get_serializer("serpent")
            s = socket.create_connection(("127.0.0.1", {{uri.Port}}))
            data, _ = ser.serializeData({"handshake": "hello", "object": "echo"})
            s.sendall(m.Message(m.MSG_CONNECT, data, ser.serializer_id, 0, 1).to_bytes())
            sent = [0]
            def flood():
                payload = "x" * 200000
                for i in range(200):
                    body, _ = ser.serializeCall("echo", "echo", (payload,), {})
                    s.sendall(m.Message(m.MSG_INVOKE, body, ser.serializer_id, 0, i + 2).to_bytes())
                    sent[0] += 1
            t = threading.Thread(target=flood, daemon=True); t.start()
            t.join(3)
            print("flooding", sent[0], t.is_alive(), flush=True)
            print("other", Pyro4.Proxy('{{uri}}').echo("served"), flush=True)
            sys.stdin.readline()
            """);
        var flooding = (await python.WaitForAsync("^flooding (.*)$", TimeSpan.FromSeconds(30))).Split(' ');
        Assert.Equal("served", await python.WaitForAsync("^other (.*)$", TimeSpan.FromSeconds(30)));
        Assert.Equal("True", flooding[1]); // the flood is blocked: the daemon stopped reading the connection
        Assert.True(int.Parse(flooding[0]) < 200, "all 40 MB were accepted: " + flooding[0]);
        long heapGrowth = GC.GetTotalMemory(forceFullCollection: true) - heapBefore;
        Assert.True(heapGrowth < 16 * 1024 * 1024, $"the daemon's heap grew {heapGrowth / 1024} KiB while the client would not read");
        await python.WriteLineAsync("done");
    }
}
