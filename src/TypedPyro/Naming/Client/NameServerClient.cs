using System.Collections;
using TypedPyro.Serialization;

namespace TypedPyro.Naming;

/// <summary>
/// A typed client of a name server (Python's proxy returned by <c>locateNS()</c>), over a <see cref="PyroProxy"/>.
/// Works with TypedPyro's and Python's name servers alike, Pyro4's and Pyro5's (by the proxy's
/// <see cref="PyroProxy.Protocol"/>: over Pyro5 the metadata filters of <see cref="ListAsync"/> become Pyro5's
/// <c>yplookup</c>). Get one from <see cref="NameServerLocator.LocateAsync"/>
/// or construct it for a known URI.
/// </summary>
/// <remarks>Thread-safe as <see cref="PyroProxy"/> is: calls share one connection and go one at a time.</remarks>
public sealed class NameServerClient : IAsyncDisposable, IDisposable
{
    /// <summary>Wraps an existing proxy of a name server (the client owns and disposes it).</summary>
    public NameServerClient(PyroProxy proxy)
    {
        Proxy = proxy ?? throw new ArgumentNullException(nameof(proxy));
        // Dogfood: every call goes through the proxy the source generator made from INameServer (and over Pyro5, the
        // two methods Pyro5 changed through the one made from IPyro5NameServer).
        _nameServer = PyroContracts.CreateProxy<INameServer>(proxy);
        _lookup = PyroContracts.CreateProxy<INameServerLookup>(proxy);
        _pyro5 = proxy.Protocol == 5 ? PyroContracts.CreateProxy<IPyro5NameServer>(proxy) : null;
    }

    private readonly INameServer _nameServer;
    private readonly INameServerLookup _lookup;
    private readonly IPyro5NameServer? _pyro5;

    /// <summary>Creates a client for the name server at <paramref name="uri"/> (<c>PYRO:Pyro.NameServer@host:port</c>).</summary>
    public NameServerClient(PyroUri uri, PyroProxyOptions? options = null) : this(new PyroProxy(uri, options)) { }

    /// <summary>The underlying proxy.</summary>
    public PyroProxy Proxy { get; }

    /// <summary>The name server's URI.</summary>
    public PyroUri Uri => Proxy.Uri;

    /// <summary><c>ping()</c>.</summary>
    public async Task PingAsync(CancellationToken cancellationToken = default)
        => await _nameServer.PingAsync(cancellationToken).ConfigureAwait(false);

    /// <summary><c>count()</c>: the number of registrations, the name server's own included.</summary>
    public async Task<int> CountAsync(CancellationToken cancellationToken = default)
        => await _nameServer.CountAsync(cancellationToken).ConfigureAwait(false);

    /// <summary><c>lookup(name)</c>.</summary>
    /// <exception cref="NamingException"><c>unknown name: ...</c></exception>
    public async Task<PyroUri> LookupAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        return PyroUri.FromWireValue(await _lookup.LookupAsync(name, cancellationToken).ConfigureAwait(false));
    }

    /// <summary><see cref="LookupAsync"/> for a blocking caller, with blocking socket calls (through the untyped proxy).</summary>
    internal PyroUri Lookup(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return PyroUri.FromWireValue(Proxy.Invoke("lookup", name));
    }

    /// <summary><c>lookup(name, return_metadata=True)</c>: the URI and the metadata tags.</summary>
    /// <exception cref="NamingException"><c>unknown name: ...</c></exception>
    public async Task<NameRegistration> LookupWithMetadataAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        var result = await _nameServer.LookupAsync(name, returnMetadata: true, cancellationToken).ConfigureAwait(false);
        var (uri, tags) = Pair(result);
        var parsed = PyroUri.FromWireValue(uri);
        return new NameRegistration(name, parsed.ToString(), parsed, Tags(tags));
    }

    /// <summary><c>register(name, uri, safe, metadata)</c> with a URI object.</summary>
    /// <exception cref="NamingException"><paramref name="safe"/> and the name exists.</exception>
    public async Task RegisterAsync(string name, PyroUri uri, bool safe = false, IEnumerable<string>? metadata = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(uri);
        await RegisterCoreAsync(name, uri, safe, metadata, cancellationToken).ConfigureAwait(false);
    }

    /// <summary><c>register(name, uri, safe, metadata)</c> with a URI string (the name server validates it).</summary>
    /// <exception cref="NamingException"><paramref name="safe"/> and the name exists.</exception>
    /// <exception cref="PyroException">The name server rejected the URI text.</exception>
    public async Task RegisterAsync(string name, string uri, bool safe = false, IEnumerable<string>? metadata = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(uri);
        await RegisterCoreAsync(name, uri, safe, metadata, cancellationToken).ConfigureAwait(false);
    }

    private async Task RegisterCoreAsync(string name, object uri, bool safe, IEnumerable<string>? metadata, CancellationToken cancellationToken)
    {
        await _nameServer.RegisterAsync(name, uri, safe, metadata is null ? null : TagSet(metadata), cancellationToken).ConfigureAwait(false);
    }

    /// <summary><c>set_metadata(name, metadata)</c>: replaces the tags (null or empty clears them).</summary>
    /// <exception cref="NamingException"><c>unknown name: ...</c></exception>
    public async Task SetMetadataAsync(string name, IEnumerable<string>? metadata, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        await _nameServer.SetMetadataAsync(name, metadata is null ? null : TagSet(metadata), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// <c>remove(name, prefix, regex)</c>: returns how many registrations were removed. (Pyro4's name server goes on
    /// to the prefix when the name is not registered; Pyro5's stops at the name.)
    /// </summary>
    public async Task<int> RemoveAsync(string? name = null, string? prefix = null, string? regex = null, CancellationToken cancellationToken = default)
        => await _nameServer.RemoveAsync(name, prefix, regex, cancellationToken).ConfigureAwait(false);

    /// <summary><c>list(prefix, regex, metadata_all, metadata_any)</c>: name -> URI text.</summary>
    /// <exception cref="ArgumentException">More than one filter (the name server's ValueError).</exception>
    /// <exception cref="NamingException"><c>invalid regex: ...</c></exception>
    public async Task<IReadOnlyDictionary<string, string>> ListAsync(string? prefix = null, string? regex = null, IEnumerable<string>? metadataAll = null, IEnumerable<string>? metadataAny = null, CancellationToken cancellationToken = default)
    {
        var map = await ListCoreAsync(prefix, regex, metadataAll, metadataAny, returnMetadata: false, cancellationToken).ConfigureAwait(false);
        return Names(map);
    }

    /// <summary>A <c>list()</c> result: name -> URI text.</summary>
    private static Dictionary<string, string> Names(object? result)
    {
        if (result is not IDictionary map) throw new ProtocolException("expected a dict from the name server's list()");
        var names = new Dictionary<string, string>(map.Count, StringComparer.Ordinal);
        foreach (DictionaryEntry entry in map) names[PyroConvert.ToString(entry.Key)] = entry.Value as string ?? PyroUri.FromWireValue(entry.Value).ToString();
        return names;
    }

    /// <summary><see cref="ListAsync"/> by metadata tags for a blocking caller, with blocking socket calls.</summary>
    internal IReadOnlyDictionary<string, string> List(IEnumerable<string> metadataAll)
        => Names(_pyro5 is null ? Proxy.Invoke("list", null, null, TagSet(metadataAll), null, false) : Proxy.Invoke("yplookup", TagSet(metadataAll), null, false));

    /// <summary>Pyro4's <c>list</c> with all its filters, or over Pyro5 <c>list</c> or <c>yplookup</c> by the filter given.</summary>
    private async Task<Dictionary<object, object?>> ListCoreAsync(string? prefix, string? regex, IEnumerable<string>? metadataAll, IEnumerable<string>? metadataAny,
        bool returnMetadata, CancellationToken cancellationToken)
    {
        if (_pyro5 is null)
            return await _nameServer.ListAsync(prefix, regex, Set(metadataAll), Set(metadataAny), returnMetadata, cancellationToken).ConfigureAwait(false);
        if (metadataAll is null && metadataAny is null)
            return await _pyro5.ListAsync(prefix, regex, returnMetadata, cancellationToken).ConfigureAwait(false);
        // Pyro4's rule, kept for both protocols: one filter at a time.
        if (prefix is not null || regex is not null || (metadataAll is not null && metadataAny is not null))
            throw new ArgumentException("you can only filter on one thing at a time");
        return await _pyro5.YplookupAsync(Set(metadataAll), Set(metadataAny), returnMetadata, cancellationToken).ConfigureAwait(false);
    }

    /// <summary><c>list(..., return_metadata=True)</c>: every matching registration with its metadata.</summary>
    /// <exception cref="ArgumentException">More than one filter (the name server's ValueError).</exception>
    /// <exception cref="NamingException"><c>invalid regex: ...</c></exception>
    public async Task<IReadOnlyList<NameRegistration>> ListWithMetadataAsync(string? prefix = null, string? regex = null, IEnumerable<string>? metadataAll = null, IEnumerable<string>? metadataAny = null, CancellationToken cancellationToken = default)
    {
        var map = await ListCoreAsync(prefix, regex, metadataAll, metadataAny, returnMetadata: true, cancellationToken).ConfigureAwait(false);
        var registrations = new List<NameRegistration>(map.Count);
        foreach (var entry in map)
        {
            var (uri, tags) = Pair(entry.Value);
            registrations.Add(new NameRegistration(PyroConvert.ToString(entry.Key), uri as string ?? PyroUri.FromWireValue(uri).ToString(), Tags(tags)));
        }
        return registrations;
    }

    private static HashSet<string>? Set(IEnumerable<string>? tags) => tags is null ? null : TagSet(tags);

    private static HashSet<string> TagSet(IEnumerable<string> tags)
    {
        var set = new HashSet<string>(StringComparer.Ordinal);
        foreach (var tag in tags) set.Add(tag ?? throw new ArgumentNullException(nameof(tags), "a metadata tag is null"));
        return set;
    }

    private static (object? First, object? Second) Pair(object? value) => value switch
    {
        IReadOnlyList<object?> { Count: 2 } t => (t[0], t[1]),
        IList { Count: 2 } l => (l[0], l[1]),
        _ => throw new ProtocolException("expected a (uri, metadata) pair from the name server"),
    };

    private static List<string> Tags(object? value)
    {
        var tags = new List<string>();
        if (value is null) return tags;
        if (value is not IEnumerable items || value is string) throw new ProtocolException("expected a metadata collection from the name server");
        foreach (var item in items) tags.Add(PyroConvert.ToString(item));
        return tags;
    }

    /// <summary>Releases the connection; the client cannot be used afterwards.</summary>
    public void Dispose() => Proxy.Dispose();

    /// <inheritdoc cref="Dispose"/>
    public ValueTask DisposeAsync() => Proxy.DisposeAsync();

    /// <inheritdoc/>
    public override string ToString() => $"<NameServerClient {Uri}>";
}
