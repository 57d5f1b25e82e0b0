namespace TypedPyro.Naming;

/// <summary>
/// The name server object (Python's <c>Pyro4.naming.NameServer</c>): a flat name space mapping logical names to Pyro
/// URIs with optional metadata tags. Same semantics, values and errors as Python's, as typed C# methods; the remote
/// surface (object id <c>Pyro.NameServer</c>) is made by <see cref="NameServerDispatcher"/>.
/// </summary>
/// <remarks>
/// Thread-safe. Updates are serialized; lookups are not blocked by them (with <see cref="MemoryNameServerStorage"/>
/// they take no lock at all). Python's "falsy" rules are kept: an empty prefix, regex or tag collection counts as not
/// filtering (but still counts as a filter for "one thing at a time").
/// </remarks>
public sealed class NameServer : IDisposable
{
    /// <summary>The object id of the name server in its daemon and its own table.</summary>
    public const string ObjectId = PyroNames.NameServerObjectId;

    /// <summary>The class name in Python-style error messages.</summary>
    public const string TypeName = "NameServer";

    /// <summary>The metadata the name server registers itself with.</summary>
    public const string ClassMetadata = "class:Pyro4.naming.NameServer";

    private readonly Lock _updates = new();

    /// <summary>Creates a name server over <paramref name="storage"/> (default: a new <see cref="MemoryNameServerStorage"/>).</summary>
    public NameServer(INameServerStorage? storage = null) => Storage = storage ?? new MemoryNameServerStorage();

    /// <summary>The storage in use.</summary>
    public INameServerStorage Storage { get; }

    /// <summary>Python's <c>count()</c>: the number of registrations, the name server's own included.</summary>
    public int Count() => Storage.Count;

    /// <summary>Python's <c>ping()</c>: does nothing.</summary>
    public void Ping()
    {
    }

    /// <summary>Python's <c>lookup(name)</c>: the URI registered for <paramref name="name"/>.</summary>
    /// <exception cref="NamingException"><c>unknown name: ...</c></exception>
    public PyroUri Lookup(string name) => LookupRegistration(name).ParsedUri;

    /// <summary>Python's <c>lookup(name, return_metadata=True)</c>: the whole registration.</summary>
    /// <exception cref="NamingException"><c>unknown name: ...</c></exception>
    public NameRegistration LookupRegistration(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return Storage.TryGet(name, out var registration) ? registration : throw new NamingException("unknown name: " + name);
    }

    /// <summary>Python's <c>register(name, uri, safe, metadata)</c> for a URI object.</summary>
    /// <exception cref="NamingException"><paramref name="safe"/> and the name exists: <c>name already registered: ...</c></exception>
    public void Register(string name, PyroUri uri, bool safe = false, IEnumerable<string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(uri);
        Store(new NameRegistration(name, uri.ToString(), uri, metadata), safe);
    }

    /// <summary>Python's <c>register(name, uri, safe, metadata)</c> for a URI string (validated, stored as given).</summary>
    /// <exception cref="PyroException"><paramref name="uri"/> is not a valid URI (Python's <c>invalid uri</c> messages).</exception>
    /// <exception cref="NamingException"><paramref name="safe"/> and the name exists: <c>name already registered: ...</c></exception>
    public void Register(string name, string uri, bool safe = false, IEnumerable<string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(uri);
        var parsed = PyroUri.Parse(uri);
        Store(new NameRegistration(name, uri, parsed, metadata), safe);
    }

    private void Store(NameRegistration registration, bool safe)
    {
        if (safe && Storage is ISharedNameServerStorage shared)
        {
            // Other name servers write the same store: only the store can check and add in one step.
            if (!shared.TryAdd(registration)) throw new NamingException("name already registered: " + registration.Name);
            return;
        }
        lock (_updates)
        {
            if (safe && Storage.Contains(registration.Name)) throw new NamingException("name already registered: " + registration.Name);
            Storage.Set(registration);
        }
    }

    /// <summary>Python's <c>set_metadata(name, metadata)</c>: replaces the tags (null or empty clears them).</summary>
    /// <exception cref="NamingException"><c>unknown name: ...</c></exception>
    public void SetMetadata(string name, IEnumerable<string>? metadata)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (Storage is ISharedNameServerStorage shared)
        {
            if (!shared.TrySetMetadata(name, metadata is null ? new HashSet<string>(StringComparer.Ordinal) : ToTagSet(metadata)))
                throw new NamingException("unknown name: " + name);
            return;
        }
        lock (_updates)
        {
            if (!Storage.TryGet(name, out var existing)) throw new NamingException("unknown name: " + name);
            Storage.Set(existing.WithMetadata(metadata));
        }
    }

    /// <summary>
    /// Python's <c>remove(name, prefix, regex)</c>: removes <paramref name="name"/> (1 when it existed), else every
    /// name starting with <paramref name="prefix"/>, else every name <paramref name="regex"/> matches (at its start),
    /// and returns how many were removed. <c>Pyro.NameServer</c> itself is never removed.
    /// </summary>
    /// <exception cref="NamingException"><c>invalid regex: ...</c></exception>
    public int Remove(string? name = null, string? prefix = null, string? regex = null)
    {
        lock (_updates)
        {
            if (!string.IsNullOrEmpty(name) && name != ObjectId && Storage.Remove(name)) return 1;
            IReadOnlyList<NameRegistration> matches;
            if (!string.IsNullOrEmpty(prefix)) matches = Storage.ListPrefix(prefix);
            else if (!string.IsNullOrEmpty(regex)) matches = ListRegex(regex);
            else return 0;
            var names = new List<string>(matches.Count);
            foreach (var r in matches)
            {
                if (r.Name != ObjectId) names.Add(r.Name);
            }
            // What the storage removed: with a shared storage another name server may have removed some first.
            return Storage.RemoveAll(names);
        }
    }

    /// <summary>
    /// Python's <c>list(prefix, regex, metadata_all, metadata_any)</c>: the registrations that pass the one filter given
    /// (everything when none is). <paramref name="regex"/> uses Python's <c>re.match</c> rule: it must match at the
    /// start of the name, not necessarily up to its end.
    /// </summary>
    /// <exception cref="ArgumentException">More than one filter: <c>you can only filter on one thing at a time</c> (Python's ValueError).</exception>
    /// <exception cref="NamingException"><c>invalid regex: ...</c></exception>
    public IReadOnlyList<NameRegistration> List(string? prefix = null, string? regex = null, IEnumerable<string>? metadataAll = null, IEnumerable<string>? metadataAny = null)
    {
        int filters = (prefix is null ? 0 : 1) + (regex is null ? 0 : 1) + (metadataAll is null ? 0 : 1) + (metadataAny is null ? 0 : 1);
        if (filters > 1) throw new ArgumentException("you can only filter on one thing at a time");
        if (!string.IsNullOrEmpty(prefix)) return Storage.ListPrefix(prefix);
        if (!string.IsNullOrEmpty(regex)) return ListRegex(regex);
        if (metadataAll is not null && ToTagSet(metadataAll) is { Count: > 0 } all) return Storage.ListByMetadata(all, all: true);
        if (metadataAny is not null && ToTagSet(metadataAny) is { Count: > 0 } any) return Storage.ListByMetadata(any, all: false);
        return Storage.ListAll();
    }

    private IReadOnlyList<NameRegistration> ListRegex(string pattern)
    {
        var regex = PythonRegex.Get(pattern);
        var result = new List<NameRegistration>();
        foreach (var r in Storage.ListAll())
        {
            if (PythonRegex.MatchesAtStart(regex, r.Name)) result.Add(r);
        }
        return result;
    }

    private static HashSet<string> ToTagSet(IEnumerable<string> tags)
    {
        var set = new HashSet<string>(StringComparer.Ordinal);
        foreach (var tag in tags) set.Add(tag ?? throw new ArgumentNullException(nameof(tags), "a metadata tag is null"));
        return set;
    }

    /// <summary>Whether <paramref name="metadata"/> has all (or any) of <paramref name="tags"/>.</summary>
    internal static bool MetadataMatches(IReadOnlySet<string> metadata, IReadOnlySet<string> tags, bool all)
    {
        if (all)
        {
            if (metadata.Count < tags.Count) return false;
            foreach (var tag in tags)
            {
                if (!metadata.Contains(tag)) return false;
            }
            return true;
        }
        var (small, large) = metadata.Count <= tags.Count ? (metadata, tags) : (tags, metadata);
        foreach (var tag in small)
        {
            if (large.Contains(tag)) return true;
        }
        return false;
    }

    /// <summary>Disposes the storage.</summary>
    public void Dispose() => Storage.Dispose();
}
