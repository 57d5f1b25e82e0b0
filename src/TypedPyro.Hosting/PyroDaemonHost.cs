namespace TypedPyro.Hosting;

/// <summary>The hosted daemon, from DI: its daemon and object URIs once the host has started.</summary>
public sealed class PyroDaemonHost
{
    private readonly Dictionary<string, PyroUri> _uris = new(StringComparer.Ordinal);
    private volatile PyroDaemon? _daemon;

    /// <summary>The running daemon; null before the host started it.</summary>
    public PyroDaemon? Daemon => _daemon;

    /// <summary>The registered objects' URIs by object id (empty before start).</summary>
    public IReadOnlyDictionary<string, PyroUri> Uris
    {
        get { lock (_uris) return new Dictionary<string, PyroUri>(_uris); }
    }

    /// <summary>Whether the objects were registered with a name server (and where).</summary>
    public PyroUri? NameServerUri { get; internal set; }

    /// <summary>The URI of <paramref name="objectId"/>.</summary>
    /// <exception cref="InvalidOperationException">The host has not started, or no such object is hosted.</exception>
    public PyroUri UriOf(string objectId)
    {
        lock (_uris)
        {
            return _uris.TryGetValue(objectId, out var uri) ? uri : throw new InvalidOperationException($"no hosted Pyro object '{objectId}' (has the host started?)");
        }
    }

    internal void Started(PyroDaemon daemon, IEnumerable<(string Id, PyroUri Uri)> uris)
    {
        lock (_uris)
        {
            foreach (var (id, uri) in uris) _uris[id] = uri;
        }
        _daemon = daemon;
    }
}
