namespace TypedPyro.Naming;

/// <summary>
/// One entry of a name server: a logical name, the URI registered for it (kept as the text the client registered,
/// like Python's name server does) and its metadata tags.
/// </summary>
public sealed class NameRegistration
{
    private static readonly IReadOnlySet<string> NoMetadata = new HashSet<string>(StringComparer.Ordinal);
    private PyroUri? _parsed;

    /// <summary>Creates a registration. <paramref name="metadata"/> is copied; null or empty means no metadata.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="name"/>, <paramref name="uri"/> or a tag is null.</exception>
    public NameRegistration(string name, string uri, IEnumerable<string>? metadata = null)
    {
        Name = name ?? throw new ArgumentNullException(nameof(name));
        Uri = uri ?? throw new ArgumentNullException(nameof(uri));
        Metadata = ToSet(metadata);
    }

    internal NameRegistration(string name, string uri, PyroUri parsed, IEnumerable<string>? metadata)
        : this(name, uri, metadata)
    {
        _parsed = parsed;
    }

    internal NameRegistration WithMetadata(IEnumerable<string>? metadata) => new(Name, Uri, metadata) { _parsed = _parsed };

    /// <summary>The logical name.</summary>
    public string Name { get; }

    /// <summary>The URI as registered (Python's name server returns this text from <c>list()</c>).</summary>
    public string Uri { get; }

    /// <summary>The metadata tags (an unordered set; empty when there are none).</summary>
    public IReadOnlySet<string> Metadata { get; }

    /// <summary>
    /// <see cref="Uri"/> parsed (what <c>lookup()</c> returns). Parsed once and cached.
    /// </summary>
    /// <exception cref="PyroException">The stored text is not a valid URI (possible only for a hand-edited store).</exception>
    public PyroUri ParsedUri => _parsed ??= PyroUri.Parse(Uri);

    /// <summary>The metadata tags in a fresh list, in no particular order (Python's <c>list(metadata)</c>).</summary>
    public List<object?> MetadataList()
    {
        var list = new List<object?>(Metadata.Count);
        foreach (var tag in Metadata) list.Add(tag);
        return list;
    }

    /// <inheritdoc/>
    public override string ToString() => Name + " --> " + Uri;

    private static IReadOnlySet<string> ToSet(IEnumerable<string>? metadata)
    {
        if (metadata is null) return NoMetadata;
        var set = new HashSet<string>(StringComparer.Ordinal);
        foreach (var tag in metadata) set.Add(tag ?? throw new ArgumentNullException(nameof(metadata), "a metadata tag is null"));
        return set.Count == 0 ? NoMetadata : set;
    }
}
