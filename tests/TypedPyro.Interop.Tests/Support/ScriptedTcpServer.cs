using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace TypedPyro.Interop.Tests.Support;

/// <summary>
/// A loopback TCP server that plays a part for a probe: it may send a greeting when a client connects (as Pyro3
/// does), then answers each message it reads with what <c>respond</c> returns; null closes the connection, or, for a
/// silent server, keeps it open without a byte until disposed.
/// </summary>
public sealed class ScriptedTcpServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly byte[]? _greeting;
    private readonly Func<byte[], byte[]?> _respond;
    private readonly bool _silent;
    private readonly Task _accepting;
    private int _connections;

    public ScriptedTcpServer(Func<byte[], byte[]?> respond, byte[]? greeting = null, bool silent = false)
    {
        _respond = respond;
        _greeting = greeting;
        _silent = silent;
        _listener.Start();
        _accepting = Task.Run(AcceptAsync);
    }

    /// <summary>A server that accepts connections and never sends a byte.</summary>
    public static ScriptedTcpServer Silent() => new(_ => null, silent: true);

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Connections accepted so far.</summary>
    public int Connections => Volatile.Read(ref _connections);

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptSocketAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            Interlocked.Increment(ref _connections);
            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(Socket client)
    {
        using var _ = client;
        await using var stream = new NetworkStream(client);
        try
        {
            if (_greeting is not null) await stream.WriteAsync(_greeting, _stop.Token);
            while (true)
            {
                var message = await ReadMessageAsync(stream, _stop.Token);
                if (message is null) return;
                var reply = _respond(message);
                if (reply is null)
                {
                    if (_silent) await Task.Delay(Timeout.Infinite, _stop.Token);
                    return;
                }
                await stream.WriteAsync(reply, _stop.Token);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or SocketException)
        {
        }
    }

    /// <summary>One Pyro4 or Pyro5 message by its header's sizes; anything else as the bytes of one read.</summary>
    private static async Task<byte[]?> ReadMessageAsync(NetworkStream stream, CancellationToken token)
    {
        var buffer = new byte[65536];
        int total = 0;
        while (true)
        {
            int read = await stream.ReadAsync(buffer.AsMemory(total), token);
            if (read == 0) return total == 0 ? null : buffer[..total];
            total += read;
            int? size = FrameSize(buffer.AsSpan(0, total));
            if (size is null || total >= size) return buffer[..total];
        }
    }

    private static int? FrameSize(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < 6 || !bytes[..4].SequenceEqual("PYRO"u8)) return null;
        return BinaryPrimitives.ReadUInt16BigEndian(bytes[4..]) switch
        {
            48 when bytes.Length >= 24 => 24 + BinaryPrimitives.ReadInt32BigEndian(bytes[12..]) + BinaryPrimitives.ReadUInt16BigEndian(bytes[18..]),
            502 when bytes.Length >= 40 => 40 + (int)BinaryPrimitives.ReadUInt32BigEndian(bytes[12..]) + (int)BinaryPrimitives.ReadUInt32BigEndian(bytes[16..]),
            48 => 24,
            502 => 40,
            _ => null,
        };
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        try { await _accepting; } catch (OperationCanceledException) { }
        _stop.Dispose();
    }
}
