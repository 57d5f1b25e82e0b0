using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using TypedPyro.Protocol;
using TypedPyro.Serialization;

namespace TypedPyro.Peers;

/// <summary>
/// W3's client at the socket's limit, for TypedPyro's daemon: one Pyro oneway frame, built once, sent again and again
/// through the raw row's coalescing pipe (each socket send takes everything queued). The daemon does all its usual
/// work; the client does almost none, so the row shows how many oneway calls/s the daemon itself can take.
/// </summary>
internal sealed class PrebuiltOnewayClient : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly byte[] _frame;
    private readonly Pipe _pipe = new();
    private readonly Task _sending;

    private PrebuiltOnewayClient(Socket socket, byte[] frame)
    {
        (_socket, _frame) = (socket, frame);
        _sending = Task.Run(SendQueuedAsync);
    }

    /// <summary>Connects to <paramref name="uri"/> with Pyro's handshake; every frame calls <paramref name="method"/>(<paramref name="argument"/>), oneway.</summary>
    public static async Task<PrebuiltOnewayClient> ConnectAsync(PyroUri uri, string method, string argument)
    {
        var serpent = PyroSerializers.Serpent;
        var security = new MessageSecurity(null, 0);
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(IPAddress.Loopback, uri.Port ?? throw new ArgumentException("a TCP URI is needed", nameof(uri)));
        var handshake = new Dictionary<object, object?> { ["handshake"] = null, ["object"] = uri.Object };
        await socket.SendAsync(MessageCodec.ToBytes(new PyroMessage(MessageType.Connect, MessageFlags.None, 0, (ushort)serpent.Id, serpent.Serialize(handshake)), security));
        var reply = new byte[64 * 1024];
        int read = 0;
        while (read < MessageHeader.Size) read += await socket.ReceiveAsync(reply.AsMemory(read));
        if (MessageHeader.Parse(reply).Type != MessageType.ConnectOk) throw new InvalidOperationException("handshake refused");
        // The reply's body is not needed: no other message is read on this connection.

        var payload = new System.Buffers.ArrayBufferWriter<byte>();
        serpent.SerializeCall(payload, uri.Object, method, new PyTuple(argument), new Dictionary<string, object?>());
        var frame = MessageCodec.ToBytes(new PyroMessage(MessageType.Invoke, MessageFlags.Oneway, 1, (ushort)serpent.Id, payload.WrittenSpan.ToArray()), security);
        return new PrebuiltOnewayClient(socket, frame);
    }

    /// <summary>Queues one oneway call.</summary>
    public ValueTask<FlushResult> SendAsync()
    {
        _pipe.Writer.Write(_frame);
        return _pipe.Writer.FlushAsync();
    }

    private async Task SendQueuedAsync()
    {
        try
        {
            while (true)
            {
                var read = await _pipe.Reader.ReadAsync();
                foreach (var segment in read.Buffer) await _socket.SendAsync(segment);
                _pipe.Reader.AdvanceTo(read.Buffer.End);
                if (read.IsCompleted) return;
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // The benchmark is over.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _pipe.Writer.CompleteAsync();
        await _sending;
        _socket.Dispose();
    }
}
