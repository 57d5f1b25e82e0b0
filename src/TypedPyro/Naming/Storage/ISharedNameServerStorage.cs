namespace TypedPyro.Naming;

/// <summary>
/// A storage that several name servers (processes, machines) use at once, such as a Redis registry. The name server's
/// in-process lock cannot make its check-then-write updates atomic across processes, so it leaves them to the
/// storage: each member here is one atomic step in the storage itself.
/// </summary>
/// <remarks>
/// Thread-safe like <see cref="INameServerStorage"/>. A failure of the shared store (unreachable, timed out) is a
/// <see cref="NamingException"/> naming the store; the storage recovers by itself when the store returns.
/// </remarks>
public interface ISharedNameServerStorage : INameServerStorage
{
    /// <summary>Adds the registration only when its name is not registered yet (Python's <c>register(safe=True)</c>).</summary>
    /// <returns>false when the name was registered already (nothing changed).</returns>
    bool TryAdd(NameRegistration registration);

    /// <summary>Replaces the metadata of a registered name, keeping its URI (Python's <c>set_metadata</c>).</summary>
    /// <returns>false when the name is not registered.</returns>
    bool TrySetMetadata(string name, IReadOnlySet<string> metadata);

    /// <summary>Removes <paramref name="name"/> only while it is still registered with <paramref name="uri"/>.</summary>
    /// <returns>false when the name is gone or registered anew with another URI (the auto-cleaner leaves it then).</returns>
    bool RemoveIfUri(string name, string uri);

    /// <summary>
    /// Takes or renews a lease that only one holder has at a time (the auto-cleaner's: one name server cleans the
    /// shared registry, the others wait). The lease lapses by itself <paramref name="duration"/> after the last renewal,
    /// so a holder that dies hands it on.
    /// </summary>
    /// <param name="lease">Which lease (e.g. <c>autoclean</c>).</param>
    /// <param name="holder">Who asks: a value unique to this name server.</param>
    /// <param name="duration">How long the lease lasts without renewal.</param>
    /// <returns>true when <paramref name="holder"/> holds the lease now.</returns>
    bool TryHoldLease(string lease, string holder, TimeSpan duration);
}
