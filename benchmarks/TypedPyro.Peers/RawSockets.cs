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

    /// <summary>
    /// A connected client for bulk transfer: each call sends <paramref name="size"/> bytes (length-prefixed) to a bulk
    /// server that answers with 8 bytes, the raw-socket limit for W4.
    /// </summary>
    public async Task<Func<Task>> BulkClient(int size)
    {
        var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        var accept = listener.AcceptAsync();
        var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await client.ConnectAsync(listener.LocalEndPoint!);
        var server = await accept;
        listener.Dispose();
        server.NoDelay = true;
        _ = Task.Run(async () =>
        {
            var buffer = new byte[1 << 20];
            var reply = new byte[8];
            try
            {
                while (true)
                {
                    int remaining = size;
                    while (remaining > 0)
                    {
                        int n = await server.ReceiveAsync(buffer.AsMemory(0, Math.Min(buffer.Length, remaining)));
                        if (n == 0) return;
                        remaining -= n;
                    }
                    await server.SendAsync(reply);
                }
            }
            catch (SocketException) { }
        });
        var payload = new byte[size];
        var answer = new byte[8];
        return async () =>
        {
            await client.SendAsync(payload);
            int read = 0;
            while (read < answer.Length) read += await client.ReceiveAsync(answer.AsMemory(read));
        };
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
