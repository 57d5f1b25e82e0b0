namespace TypedPyro.Naming;

/// <summary>
/// Where a <see cref="NameServer"/> keeps its registrations (Python's storage providers: <c>MemoryStorage</c>,
/// <c>SqlStorage</c>). Implementations must be thread-safe: lookups run concurrently with each other and with the
/// (serialized) updates of the name server.
/// </summary>
/// <remarks>
/// A storage failure (a locked or damaged database file) is reported as a <see cref="NamingException"/> whose message
/// says what failed; the name server passes it to the caller and keeps running.
/// </remarks>
public interface INameServerStorage : IDisposable
{
    /// <summary>A short description for logs and the <c>ns</c> command (e.g. <c>memory</c>, <c>sql:names.sqlite</c>).</summary>
    string Description { get; }

    /// <summary>The number of registrations.</summary>
    int Count { get; }

    /// <summary>Looks up one name.</summary>
    bool TryGet(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out NameRegistration? registration);

    /// <summary>Whether <paramref name="name"/> is registered.</summary>
    bool Contains(string name);

    /// <summary>Adds or replaces the registration of <see cref="NameRegistration.Name"/>.</summary>
    void Set(NameRegistration registration);

    /// <summary>Removes a name; false when it was not registered.</summary>
    bool Remove(string name);

    /// <summary>Removes every given name that is registered; returns how many were removed.</summary>
    int RemoveAll(IReadOnlyCollection<string> names);

    /// <summary>Every registration.</summary>
    IReadOnlyList<NameRegistration> ListAll();

    /// <summary>The registrations whose name starts with <paramref name="prefix"/> (ordinal comparison).</summary>
    IReadOnlyList<NameRegistration> ListPrefix(string prefix);

    /// <summary>
    /// The registrations whose metadata contains all (<paramref name="all"/> true) or at least one of <paramref name="tags"/>.
    /// </summary>
    IReadOnlyList<NameRegistration> ListByMetadata(IReadOnlySet<string> tags, bool all);
}
