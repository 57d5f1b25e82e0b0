using System.Collections;

namespace TypedPyro.Serialization;

/// <summary>
/// Equality for values of the untyped object model as Python sees it: tuples, lists, sets and dicts
/// compare by content. Used for tuple keys and for tests comparing decoded values.
/// </summary>
public sealed class PyValueComparer : IEqualityComparer<object?>
{
    /// <summary>The shared instance.</summary>
    public static PyValueComparer Instance { get; } = new();

    /// <inheritdoc/>
    public new bool Equals(object? x, object? y)
    {
        if (ReferenceEquals(x, y)) return true;
        if (x is null || y is null) return false;
        if (x is double dx && y is double dy) return dx.Equals(dy); // NaN equals NaN here, unlike Python, so round trips compare.
        if (x is IDictionary xd && y is IDictionary yd)
        {
            if (xd.Count != yd.Count) return false;
            foreach (DictionaryEntry e in xd)
            {
                if (!yd.Contains(e.Key) || !Equals(e.Value, yd[e.Key])) return false;
            }
            return true;
        }
        if (x is ISet<object?> xs && y is ISet<object?> ys) return xs.SetEquals(ys);
        if (x is string || y is string) return x.Equals(y);
        if (x is PyTuple != y is PyTuple) return false;
        if (x is IList xl && y is IList yl)
        {
            if (xl.Count != yl.Count) return false;
            for (int i = 0; i < xl.Count; i++)
            {
                if (!Equals(xl[i], yl[i])) return false;
            }
            return true;
        }
        return x.Equals(y);
    }

    /// <inheritdoc/>
    public int GetHashCode(object? obj) => obj switch
    {
        null => 0,
        PyTuple t => t.GetHashCode(),
        string s => s.GetHashCode(),
        IDictionary d => d.Count,
        ICollection c => c.Count,
        _ => obj.GetHashCode(),
    };
}
