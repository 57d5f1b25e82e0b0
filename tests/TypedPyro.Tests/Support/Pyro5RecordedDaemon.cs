using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace TypedPyro.Tests.Support;

/// <summary>
/// Plays the daemon side of a recorded Pyro5 conversation on a loopback port: for the one connection it accepts, it
/// reads each message the client is recorded to send (keeping the bytes it got) and answers with the recorded
/// replies. The test then compares what our proxy sent with what Python's proxy sent.
/// </summary>
public sealed class Pyro5RecordedDaemon : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly IReadOnlyList<Pyro5VectorMessage> _messages;
    private readonly CancellationTokenSource _stop = new(TimeSpan.FromSeconds(60));
    private readonly Task _serving;

    public Pyro5RecordedDaemon(Pyro5Vector vector)
    {
        _messages = vector.Messages;
        _listener.Start();
        _serving = Task.Run(ServeAsync);
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>The object URI the recorded client used (its CONNECT's object, on this port).</summary>
    public string Uri(string objectId = "test.echoserver") => $"PYRO:{objectId}@127.0.0.1:{Port}";

    /// <summary>What the client sent, one entry per recorded client message, in order.</summary>
    public List<byte[]> Received { get; } = [];

    /// <summary>The recorded client messages, to compare with <see cref="Received"/>.</summary>
    public IReadOnlyList<Pyro5VectorMessage> Expected => [.. _messages.Where(m => m.Direction == "c2s")];

    /// <summary>Completes when the conversation has been played to its end (or fails with what went wrong).</summary>
    public Task Completion => _serving;

    private async Task ServeAsync()
    {
        using var client = await _listener.AcceptTcpClientAsync(_stop.Token);
        var stream = client.GetStream();
        foreach (var m in _messages)
        {
            if (m.Direction == "c2s") Received.Add(await ReadMessageAsync(stream, _stop.Token));
            else await stream.WriteAsync(m.Bytes, _stop.Token);
        }
    }

    private static async Task<byte[]> ReadMessageAsync(Stream stream, CancellationToken token)
    {
        var header = new byte[40];
        await stream.ReadExactlyAsync(header, token);
        long body = (long)BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(12)) + BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(16));
        var message = new byte[40 + body];
        header.CopyTo(message, 0);
        await stream.ReadExactlyAsync(message.AsMemory(40), token);
        return message;
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        try { await _serving; } catch (Exception e) when (e is OperationCanceledException or SocketException or IOException or ObjectDisposedException) { }
        _stop.Dispose();
    }
}
