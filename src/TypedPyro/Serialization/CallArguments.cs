using System.Collections;

namespace TypedPyro.Serialization;

/// <summary>
/// The positional arguments of an incoming call as a serializer read them, for the generated dispatcher's typed read
/// (<see cref="PyroInvocation.Arg{T}(int, string, Func{object?, T})"/>): ints and floats stay unboxed until something
/// asks for them as objects, and the connection reuses one instance call after call, so reading a call's arguments
/// allocates nothing but what the method itself receives (its strings, lists, DTOs...).
/// </summary>
/// <remarks>
/// A reused instance is valid until the call it was read for is over: the daemon hands it only to dispatchers that
/// read their arguments before they first await (<see cref="IPyroDispatcher.AcceptsBufferViews"/>); everyone else
/// gets a tuple of their own (<see cref="ToTuple"/>).
/// </remarks>
internal sealed class CallArguments : IReadOnlyList<object?>
{
    private enum Kind : byte { Object, Int64, Double }

    private struct Entry
    {
        public object? Value;
        public long Bits;
        public Kind Kind;
    }

    private Entry[] _entries = new Entry[4];

    public int Count { get; private set; }

    /// <summary>Empties the list for the next call (and lets go of the last call's values).</summary>
    public void Clear()
    {
        _entries.AsSpan(0, Count).Clear();
        Count = 0;
    }

    public void Add(object? value) => Next() = new Entry { Value = value, Kind = Kind.Object };

    public void AddInt64(long value) => Next() = new Entry { Bits = value, Kind = Kind.Int64 };

    public void AddDouble(double value) => Next() = new Entry { Bits = BitConverter.DoubleToInt64Bits(value), Kind = Kind.Double };

    private ref Entry Next()
    {
        if (Count == _entries.Length) Array.Resize(ref _entries, Count * 2);
        return ref _entries[Count++];
    }

    /// <summary>The argument at <paramref name="index"/> if it was read as a 64-bit int.</summary>
    public bool TryGetInt64(int index, out long value)
    {
        ref readonly var entry = ref _entries[index];
        value = entry.Bits;
        return entry.Kind == Kind.Int64;
    }

    /// <summary>The argument at <paramref name="index"/> if it was read as a float.</summary>
    public bool TryGetDouble(int index, out double value)
    {
        ref readonly var entry = ref _entries[index];
        value = BitConverter.Int64BitsToDouble(entry.Bits);
        return entry.Kind == Kind.Double;
    }

    /// <summary>The argument in the object model: what the serializer's ordinary read gives (numbers boxed here).</summary>
    public object? this[int index]
    {
        get
        {
            if ((uint)index >= (uint)Count) throw new ArgumentOutOfRangeException(nameof(index));
            ref readonly var entry = ref _entries[index];
            return entry.Kind switch
            {
                Kind.Int64 => entry.Bits,
                Kind.Double => BitConverter.Int64BitsToDouble(entry.Bits),
                _ => entry.Value,
            };
        }
    }

    /// <summary>The arguments as a tuple of their own, which outlives the call.</summary>
    public PyTuple ToTuple()
    {
        if (Count == 0) return PyTuple.Empty;
        var items = new object?[Count];
        for (int i = 0; i < items.Length; i++) items[i] = this[i];
        return new PyTuple(items);
    }

    public IEnumerator<object?> GetEnumerator()
    {
        for (int i = 0; i < Count; i++) yield return this[i];
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
