using System.Net;
using System.Net.Sockets;
using TypedPyro.Protocol;
using TypedPyro.Serialization;

namespace TypedPyro.Benchmarks;

/// <summary>
/// Allocation-free stand-ins for the other side of a connection, so that a benchmark's allocations are one side's
/// alone: blocking sockets, preallocated buffers, frames built once in setup with our own codec.
/// </summary>
internal static class ScriptedPeers
{
    private static readonly MessageSecurity Security = new(null, 0);

    /// <summary>A framed message, as bytes.</summary>
    public static byte[] Frame(MessageType type, MessageFlags flags, ushort sequence, PyroSerializer serializer, object? payload, bool withCorrelation)
    {
        var annotations = withCorrelation ? new[] { new Annotation(Annotation.Correlation, CorrelationId.ToBytes(Guid.NewGuid())) } : null;
        return MessageCodec.ToBytes(new PyroMessage(type, flags, sequence, (ushort)serializer.Id, serializer.Serialize(payload), annotations), Security);
    }

    /// <summary>Reads one whole message into <paramref name="buffer"/> (blocking); returns its header.</summary>
    public static MessageHeader Receive(Socket socket, byte[] buffer)
    {
        ReceiveExactly(socket, buffer.AsSpan(0, MessageHeader.Size));
        var header = MessageHeader.Parse(buffer);
        ReceiveExactly(socket, buffer.AsSpan(MessageHeader.Size, header.DataSize + header.AnnotationsSize));
        return header;
    }

    /// <summary>Sends <paramref name="frame"/> with its sequence number replaced (and the header checksum redone).</summary>
    public static void SendWithSequence(Socket socket, byte[] frame, ushort sequence)
    {
        var header = MessageHeader.Parse(frame);
        (header with { Sequence = sequence }).Write(frame);
        socket.Send(frame);
    }

    private static void ReceiveExactly(Socket socket, Span<byte> destination)
    {
        while (!destination.IsEmpty)
        {
            int n = socket.Receive(destination);
            if (n == 0) throw new IOException("peer closed");
            destination = destination[n..];
        }
    }

    /// <summary>A loopback listener that accepts one connection.</summary>
    public static (Socket Listener, Func<Socket> Accept) Listen()
    {
        var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        return (listener, () =>
        {
            var socket = listener.Accept();
            socket.NoDelay = true;
            return socket;
        });
    }
}

/// <summary>
/// The server a client-side benchmark talks to: answers CONNECT with a canned CONNECTOK (the metadata of one method),
/// every INVOKE with a canned result carrying the request's sequence number, as a Pyro daemon's reply would.
/// </summary>
internal sealed class ScriptedServer : IDisposable
{
    private readonly Socket _listener;
    private readonly Thread _thread;

    public ScriptedServer(PyroSerializer serializer, string method, object? result)
    {
        var connectOk = ScriptedPeers.Frame(MessageType.ConnectOk, MessageFlags.MetaOnConnect, 0, serializer, new Dictionary<object, object?>
        {
            ["handshake"] = "hello",
            ["meta"] = new Dictionary<object, object?> { ["methods"] = new List<object?> { method }, ["oneway"] = new List<object?>(), ["attrs"] = new List<object?>() },
        }, withCorrelation: true);
        var reply = ScriptedPeers.Frame(MessageType.Result, MessageFlags.None, 0, serializer, result, withCorrelation: true);
        (_listener, var accept) = ScriptedPeers.Listen();
        Port = ((IPEndPoint)_listener.LocalEndPoint!).Port;
        _thread = new Thread(() =>
        {
            var buffer = new byte[64 * 1024];
            try
            {
                using var socket = accept();
                var connect = ScriptedPeers.Receive(socket, buffer);
                ScriptedPeers.SendWithSequence(socket, connectOk, connect.Sequence);
                while (true)
                {
                    var request = ScriptedPeers.Receive(socket, buffer);
                    ScriptedPeers.SendWithSequence(socket, reply, request.Sequence);
                }
            }
            catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
            {
                // The benchmark is over.
            }
        }) { IsBackground = true, Name = "scripted Pyro server" };
        _thread.Start();
    }

    public int Port { get; }

    public void Dispose() => _listener.Dispose();
}

/// <summary>
/// The client a server-side benchmark drives the daemon with: one connection, handshaken once, then the same
/// INVOKE frame (as TypedPyro's proxy writes it) sent and its reply read, blocking, with no allocation of its own.
/// </summary>
internal sealed class ScriptedClient : IDisposable
{
    private readonly Socket _socket;
    private readonly byte[] _invoke;
    private readonly byte[] _buffer = new byte[64 * 1024];

    public ScriptedClient(PyroUri uri, PyroSerializer serializer, string method, params object?[] args)
    {
        _socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        _socket.Connect(IPAddress.Loopback, uri.Port ?? throw new ArgumentException("a TCP URI is needed", nameof(uri)));
        var connect = ScriptedPeers.Frame(MessageType.Connect, MessageFlags.MetaOnConnect, 0, serializer,
            new Dictionary<object, object?> { ["handshake"] = null, ["object"] = uri.Object }, withCorrelation: false);
        _socket.Send(connect);
        if (ScriptedPeers.Receive(_socket, _buffer).Type != MessageType.ConnectOk) throw new InvalidOperationException("handshake refused");
        var payload = new System.Buffers.ArrayBufferWriter<byte>();
        serializer.SerializeCall(payload, uri.Object, method, new PyTuple(args), new Dictionary<string, object?>());
        _invoke = MessageCodec.ToBytes(new PyroMessage(MessageType.Invoke, MessageFlags.None, 1, (ushort)serializer.Id, payload.WrittenMemory), new MessageSecurity(null, 0));
    }

    /// <summary>One call; returns the reply's payload size.</summary>
    public int Call()
    {
        _socket.Send(_invoke);
        var reply = ScriptedPeers.Receive(_socket, _buffer);
        if (reply.Type != MessageType.Result || (reply.Flags & MessageFlags.Exception) != 0) throw new InvalidOperationException("the call failed");
        return reply.DataSize;
    }

    public void Dispose() => _socket.Dispose();
}
