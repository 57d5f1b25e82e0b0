namespace TypedPyro.Naming;

/// <summary>
/// The Pyro4 name server's remote interface as a typed contract: <see cref="NameServerClient"/> calls any Pyro4 name
/// server (Python's or TypedPyro's) through the proxy the source generator makes from it. The parameter types follow
/// Python's: a URI may be a <see cref="PyroUri"/> or a string, and results whose shape depends on an argument
/// (<c>return_metadata</c>) come back in the object model for the client to read.
/// </summary>
/// <remarks>
/// TypedPyro's own name server is served by a hand-written dispatcher (<see cref="NameServerDispatcher"/>) instead of
/// the generated one, because it reproduces Python's dynamic argument checks and error messages exactly.
/// </remarks>
[Expose]
[PyroNaming(PyroNamingPolicy.SnakeCase)]
public interface INameServer
{
    /// <summary><c>register(name, uri, safe=False, metadata=None)</c>.</summary>
    Task RegisterAsync(string name, object uri, bool safe = false, HashSet<string>? metadata = null, CancellationToken cancellationToken = default);

    /// <summary><c>lookup(name, return_metadata=False)</c>: a URI, or a (URI, metadata) tuple.</summary>
    Task<object?> LookupAsync(string name, bool returnMetadata = false, CancellationToken cancellationToken = default);

    /// <summary><c>list(prefix=None, regex=None, metadata_all=None, metadata_any=None, return_metadata=False)</c>.</summary>
    Task<Dictionary<object, object?>> ListAsync(string? prefix = null, string? regex = null, HashSet<string>? metadataAll = null,
        HashSet<string>? metadataAny = null, bool returnMetadata = false, CancellationToken cancellationToken = default);

    /// <summary><c>remove(name=None, prefix=None, regex=None)</c>: how many were removed.</summary>
    Task<int> RemoveAsync(string? name = null, string? prefix = null, string? regex = null, CancellationToken cancellationToken = default);

    /// <summary><c>set_metadata(name, metadata)</c>.</summary>
    Task SetMetadataAsync(string name, HashSet<string>? metadata, CancellationToken cancellationToken = default);

    /// <summary><c>count()</c>.</summary>
    Task<int> CountAsync(CancellationToken cancellationToken = default);

    /// <summary><c>ping()</c>.</summary>
    Task PingAsync(CancellationToken cancellationToken = default);
}
