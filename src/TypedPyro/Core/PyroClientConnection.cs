using System.Net;

namespace TypedPyro;

/// <summary>
/// A client connection as server code sees it (Python's <c>current_context.client</c>): its address, and a place
/// to keep per-connection state. Safe to read from any thread.
/// </summary>
public sealed class PyroClientConnection
{
    private static long _nextId;

    internal PyroClientConnection(EndPoint? remoteEndPoint)
    {
        RemoteEndPoint = remoteEndPoint;
        Id = Interlocked.Increment(ref _nextId);
    }

    /// <summary>A number unique to this connection within the process.</summary>
    public long Id { get; }

    /// <summary>The client's address (null for Unix domain sockets without a bound client path).</summary>
    public EndPoint? RemoteEndPoint { get; }

    /// <summary>The value the daemon's handshake validator returned for this connection.</summary>
    public object? HandshakeResponse { get; internal set; }

    /// <summary>The serializer the client connected with.</summary>
    public Serialization.SerializerId Serializer { get; internal set; }

    /// <inheritdoc/>
    public override string ToString() => $"<connection {Id} from {RemoteEndPoint}>";
}
