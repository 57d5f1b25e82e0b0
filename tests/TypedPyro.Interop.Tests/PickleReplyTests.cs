using System.Net.Sockets;
using TypedPyro.Cli.Commands;
using TypedPyro.Interop.Tests.Support;
using TypedPyro.Protocol;
using TypedPyro.Tests.Support;

namespace TypedPyro.Interop.Tests;

/// <summary>A pickle INVOKE gets the SerializeError Python's daemon sends, readable by Python's pickle.</summary>
public sealed class PickleReplyTests
{
    [Fact]
    public async Task Pickle_call_is_refused_with_a_pickled_serialize_error_python_can_read()
    {
        var exchanges = Vector.Load("probe_invoke_unaccepted_serializer").Decoded.GetProperty("exchanges");
        await using var daemon = new PyroDaemon(new PyroDaemonOptions { Host = "127.0.0.1" });
        daemon.Register(new EchoServerObject(false, TextWriter.Null).CreateDispatcher(), EchoCommand.ObjectName);
        daemon.Start();
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(daemon.BoundEndPoint!);
        var stream = new NetworkStream(socket);
        await stream.WriteAsync(Convert.FromHexString(exchanges[0].GetProperty("sent_hex").GetString()!));
        await MessageCodec.ReadAsync(stream, MessageCodec.AnyType, MessageSecurity.None);
        await stream.WriteAsync(Convert.FromHexString(exchanges[1].GetProperty("sent_hex").GetString()!));
        var reply = await MessageCodec.ReadAsync(stream, MessageCodec.AnyType, MessageSecurity.None);

        var script = $"""
            import pickle, Pyro4.errors
            e = pickle.loads(bytes.fromhex("{Convert.ToHexStringLower(reply.Payload.Span)}"))
            print(type(e).__module__ + "." + type(e).__name__ + "|" + str(e) + "|" + str(len(e._pyroTraceback)))
            """;
        var output = (await PythonPeer.RunScriptAsync(script)).Trim();
        Assert.Equal("Pyro4.errors.SerializeError|message used serializer that is not accepted: 4|1", output);
    }
}
