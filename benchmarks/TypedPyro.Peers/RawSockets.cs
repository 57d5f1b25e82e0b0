using System.Net;
using System.Net.Sockets;

namespace TypedPyro.Peers;

/// <summary>The limit: a raw async TCP ping-pong of a small message, TCP_NODELAY on both sides.</summary>
internal sealed class RawSockets : IAsyncDisposable
{
    private readonly Socket _listener = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
    private readonly CancellationTokenSource _stop = new();

    public RawSockets()
    {
        _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _listener.Listen(64);
        _ = AcceptLoop();
    }

    public IPEndPoint EndPoint => (IPEndPoint)_listener.LocalEndPoint!;

    private async Task AcceptLoop()
    {
        try
        {
            while (true)
            {
                var socket = await _listener.AcceptAsync(_stop.Token);
                socket.NoDelay = true;
                _ = Echo(socket);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException) { }
    }

    private static async Task Echo(Socket socket)
    {
        var buffer = new byte[64];
        using (socket)
        {
            try
            {
                while (true)
                {
                    int n = await socket.ReceiveAsync(buffer);
                    if (n == 0) return;
                    await socket.SendAsync(buffer.AsMemory(0, n));
                }
            }
            catch (SocketException) { }
        }
    }

    /// <summary>A connected client whose call sends 10 bytes and reads them back.</summary>
    public async Task<Func<Task>> Client()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(EndPoint);
        var message = "hello worl"u8.ToArray();
        var reply = new byte[message.Length];
        return async () =>
        {
            await socket.SendAsync(message);
            int read = 0;
            while (read < reply.Length) read += await socket.ReceiveAsync(reply.AsMemory(read));
        };
    }

    public ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Dispose();
        return ValueTask.CompletedTask;
    }
}
