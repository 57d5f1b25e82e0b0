namespace TypedPyro.Naming;

/// <summary>
/// Where the Pyro5 name server's remote interface (Python's <c>Pyro5.nameserver.NameServer</c>) differs from Pyro4's
/// <see cref="INameServer"/>: <c>list</c> has no metadata filters, and <c>yplookup</c> has them. Its other methods
/// (register, lookup, remove, set_metadata, count, ping) take the same arguments, so <see cref="NameServerClient"/>
/// calls those through <see cref="INameServer"/> over both protocols.
/// </summary>
[Expose]
[PyroNaming(PyroNamingPolicy.SnakeCase)]
internal interface IPyro5NameServer
{
    /// <summary><c>list(prefix=None, regex=None, return_metadata=False)</c>.</summary>
    Task<Dictionary<object, object?>> ListAsync(string? prefix = null, string? regex = null, bool returnMetadata = false, CancellationToken cancellationToken = default);

    /// <summary><c>yplookup(meta_all=None, meta_any=None, return_metadata=True)</c>.</summary>
    Task<Dictionary<object, object?>> YplookupAsync(HashSet<string>? metaAll = null, HashSet<string>? metaAny = null, bool returnMetadata = true, CancellationToken cancellationToken = default);
}
