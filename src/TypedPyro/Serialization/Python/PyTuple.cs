using System.Collections;

namespace TypedPyro.Serialization;

/// <summary>
/// A Python tuple in the untyped object model. Kept distinct from <see cref="List{T}"/> (a Python list)
/// so that values round-trip with their Python type, and compared structurally so that tuples work as
/// dictionary keys and set members the way they do in Python.
/// </summary>
public sealed class PyTuple : IReadOnlyList<object?>, IEquatable<PyTuple>
{
    private readonly object?[] _items;

    /// <summary>The empty tuple <c>()</c>.</summary>
    public static PyTuple Empty { get; } = new([]);

    /// <summary>Creates a tuple that owns <paramref name="items"/> (the array is not copied).</summary>
    public PyTuple(params object?[] items) => _items = items ?? throw new ArgumentNullException(nameof(items));

    /// <inheritdoc/>
    public object? this[int index] => _items[index];

    /// <inheritdoc/>
    public int Count => _items.Length;

    /// <summary>The items as a read-only span.</summary>
    public ReadOnlySpan<object?> AsSpan() => _items;

    /// <inheritdoc/>
    public IEnumerator<object?> GetEnumerator() => ((IEnumerable<object?>)_items).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => _items.GetEnumerator();

    /// <inheritdoc/>
    public bool Equals(PyTuple? other)
    {
        if (other is null || other.Count != Count) return false;
        for (int i = 0; i < _items.Length; i++)
        {
            if (!PyValueComparer.Instance.Equals(_items[i], other._items[i])) return false;
        }
        return true;
    }

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is PyTuple t && Equals(t);

    /// <summary>Python's repr of the tuple, e.g. <c>(1, 'a')</c>.</summary>
    public override string ToString() => PythonRepr.Format(this);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var item in _items) hash.Add(PyValueComparer.Instance.GetHashCode(item!));
        return hash.ToHashCode();
    }
}
