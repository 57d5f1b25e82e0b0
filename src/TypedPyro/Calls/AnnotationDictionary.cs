using TypedPyro.Protocol;

namespace TypedPyro;

/// <summary>User annotations: keys and sizes validated as entries are added, Pyro's reserved keys refused.</summary>
internal sealed class AnnotationDictionary : IDictionary<string, byte[]>
{
    private readonly Dictionary<string, byte[]> _inner = new(StringComparer.Ordinal);

    private static void Validate(string key, byte[] value)
    {
        Annotation.ValidateKey(key);
        if (Annotation.IsReserved(key)) throw new ArgumentException($"annotation key '{key}' is reserved for Pyro itself", nameof(key));
        ArgumentNullException.ThrowIfNull(value);
        if (value.Length > Annotation.MaxSize) throw new ArgumentException($"annotation '{key}' is {value.Length} bytes; the limit is {Annotation.MaxSize}", nameof(value));
    }

    public byte[] this[string key]
    {
        get => _inner[key];
        set
        {
            Validate(key, value);
            _inner[key] = value;
        }
    }

    public ICollection<string> Keys => _inner.Keys;
    public ICollection<byte[]> Values => _inner.Values;
    public int Count => _inner.Count;
    public bool IsReadOnly => false;

    public void Add(string key, byte[] value)
    {
        Validate(key, value);
        _inner.Add(key, value);
    }

    public void Add(KeyValuePair<string, byte[]> item) => Add(item.Key, item.Value);
    public void Clear() => _inner.Clear();
    public bool Contains(KeyValuePair<string, byte[]> item) => ((ICollection<KeyValuePair<string, byte[]>>)_inner).Contains(item);
    public bool ContainsKey(string key) => _inner.ContainsKey(key);
    public void CopyTo(KeyValuePair<string, byte[]>[] array, int arrayIndex) => ((ICollection<KeyValuePair<string, byte[]>>)_inner).CopyTo(array, arrayIndex);
    public IEnumerator<KeyValuePair<string, byte[]>> GetEnumerator() => _inner.GetEnumerator();
    public bool Remove(string key) => _inner.Remove(key);
    public bool Remove(KeyValuePair<string, byte[]> item) => ((ICollection<KeyValuePair<string, byte[]>>)_inner).Remove(item);
    public bool TryGetValue(string key, [System.Diagnostics.CodeAnalysis.MaybeNullWhen(false)] out byte[] value) => _inner.TryGetValue(key, out value);
    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}
