namespace TypedPyro.Naming;

/// <summary>Chooses a storage the way <c>pyro4-ns -s</c> does.</summary>
public static class NameServerStorage
{
    /// <summary>
    /// Opens the storage named by <paramref name="spec"/>: <c>memory</c> (default, volatile) or <c>sql:&lt;file&gt;</c>
    /// (SQLite, Python's table layout). Python's <c>dbm:&lt;file&gt;</c> is not supported.
    /// </summary>
    /// <exception cref="ArgumentException">Not a storage TypedPyro knows (Python's message <c>invalid storage type '...'</c>).</exception>
    /// <exception cref="NotSupportedException"><c>dbm:</c> storage.</exception>
    /// <exception cref="NamingException">The SQLite file cannot be used (locked, not a database...).</exception>
    public static INameServerStorage Open(string? spec)
    {
        spec ??= "memory";
        if (spec.Length == 0 || spec == "memory") return new MemoryNameServerStorage();
        if (spec.StartsWith("sql:", StringComparison.Ordinal) && spec.Length > 4) return new SqliteNameServerStorage(spec[4..]);
        if (spec.StartsWith("dbm:", StringComparison.Ordinal) && spec.Length > 4)
            throw new NotSupportedException("dbm storage is not supported by TypedPyro (it cannot keep metadata); use sql:<file>");
        throw new ArgumentException($"invalid storage type '{spec}'", nameof(spec));
    }
}
