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

    /// <summary>
    /// The client's certificate on a TLS connection with SSL_REQUIRECLIENTCERT, else null (Python's
    /// <c>conn.getpeercert()</c>): the daemon's <see cref="PyroDaemon.ValidateHandshake"/> and any call
    /// (<see cref="PyroCallContext.Client"/>) may accept or refuse by it.
    /// </summary>
    public System.Security.Cryptography.X509Certificates.X509Certificate2? PeerCertificate { get; internal set; }

    /// <summary>
    /// The Pyro protocol the client speaks: 4 (Pyro4, protocol 48) or 5 (Pyro5, protocol 502), decided from the
    /// connection's first header.
    /// </summary>
    public int Protocol { get; internal set; } = 4;

    /// <summary>The serializer the client connected with.</summary>
    public Serialization.SerializerId Serializer { get; internal set; }

    private readonly List<object> _resources = [];
    private readonly Dictionary<object, (IPyroDispatcher Dispatcher, object Instance)> _sessionInstances = [];

    /// <summary>The connection's instance for a session-mode registration, made on first use and tracked for disposal.</summary>
    internal (IPyroDispatcher Dispatcher, object Instance) GetOrAddSessionInstance(object key, Func<(IPyroDispatcher Dispatcher, object Instance)> create)
    {
        lock (_sessionInstances)
        {
            if (_sessionInstances.TryGetValue(key, out var existing)) return existing;
            var made = create();
            _sessionInstances[key] = made;
            if (made.Instance is IDisposable or IAsyncDisposable) TrackResource(made.Instance);
            return made;
        }
    }

    /// <summary>
    /// Keeps <paramref name="resource"/> (an <see cref="IDisposable"/> or <see cref="IAsyncDisposable"/>) until this
    /// connection closes, then disposes it (Python's <c>current_context.track_resource</c>).
    /// </summary>
    public void TrackResource(object resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        if (resource is not (IDisposable or IAsyncDisposable)) throw new ArgumentException("a tracked resource must be IDisposable or IAsyncDisposable", nameof(resource));
        lock (_resources) _resources.Add(resource);
    }

    /// <summary>Stops tracking <paramref name="resource"/> (it is not disposed).</summary>
    public bool UntrackResource(object resource)
    {
        lock (_resources) return _resources.Remove(resource);
    }

    /// <summary>The resources currently tracked.</summary>
    public IReadOnlyList<object> TrackedResources
    {
        get { lock (_resources) return [.. _resources]; }
    }

    /// <summary>Disposes every tracked resource; errors are collected, not thrown one by one.</summary>
    internal async ValueTask DisposeResourcesAsync(Action<Exception> onError)
    {
        object[] resources;
        lock (_resources)
        {
            resources = [.. _resources];
            _resources.Clear();
        }
        foreach (var resource in resources)
        {
            try
            {
                if (resource is IAsyncDisposable asyncDisposable) await asyncDisposable.DisposeAsync().ConfigureAwait(false);
                else ((IDisposable)resource).Dispose();
            }
            catch (Exception e)
            {
                onError(e);
            }
        }
    }

    /// <inheritdoc/>
    public override string ToString() => $"<connection {Id} from {RemoteEndPoint}>";
}
