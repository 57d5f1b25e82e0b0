using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;

namespace TypedPyro.Naming;

/// <summary>The default volatile storage (Python's <c>MemoryStorage</c>): lost when the name server stops.</summary>
/// <remarks>Reads are lock-free.</remarks>
public sealed class MemoryNameServerStorage : INameServerStorage
{
    private readonly ConcurrentDictionary<string, NameRegistration> _names = new(StringComparer.Ordinal);

    /// <inheritdoc/>
    public string Description => "memory";

    /// <inheritdoc/>
    public int Count => _names.Count;

    /// <inheritdoc/>
    public bool TryGet(string name, [NotNullWhen(true)] out NameRegistration? registration) => _names.TryGetValue(name, out registration);

    /// <inheritdoc/>
    public bool Contains(string name) => _names.ContainsKey(name);

    /// <inheritdoc/>
    public void Set(NameRegistration registration)
    {
        ArgumentNullException.ThrowIfNull(registration);
        _names[registration.Name] = registration;
    }

    /// <inheritdoc/>
    public bool Remove(string name) => _names.TryRemove(name, out _);

    /// <inheritdoc/>
    public int RemoveAll(IReadOnlyCollection<string> names)
    {
        int removed = 0;
        foreach (var name in names)
        {
            if (_names.TryRemove(name, out _)) removed++;
        }
        return removed;
    }

    /// <inheritdoc/>
    public IReadOnlyList<NameRegistration> ListAll()
    {
        var result = new List<NameRegistration>(_names.Count);
        foreach (var pair in _names) result.Add(pair.Value);
        return result;
    }

    /// <inheritdoc/>
    public IReadOnlyList<NameRegistration> ListPrefix(string prefix)
    {
        var result = new List<NameRegistration>();
        foreach (var pair in _names)
        {
            if (pair.Key.StartsWith(prefix, StringComparison.Ordinal)) result.Add(pair.Value);
        }
        return result;
    }

    /// <inheritdoc/>
    public IReadOnlyList<NameRegistration> ListByMetadata(IReadOnlySet<string> tags, bool all)
    {
        var result = new List<NameRegistration>();
        foreach (var pair in _names)
        {
            if (NameServer.MetadataMatches(pair.Value.Metadata, tags, all)) result.Add(pair.Value);
        }
        return result;
    }

    /// <summary>Nothing to release.</summary>
    public void Dispose()
    {
    }
}
