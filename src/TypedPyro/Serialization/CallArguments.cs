using System.Collections;

namespace TypedPyro.Serialization;

/// <summary>
/// The positional arguments of an incoming call as a serializer read them, for the generated dispatcher's typed read
/// (<see cref="PyroInvocation.Arg{T}(int, string, Func{object?, T})"/>): ints and floats stay unboxed until something
/// asks for them as objects, and the connection reuses one instance call after call, so reading a call's arguments
/// allocates nothing but what the method itself receives (its strings, lists, DTOs...). It also remembers the head of
/// the connection's last call, so that the next call to the same method is recognized by comparing bytes.
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

    // Empty until the connection's first call: 10,000 idle connections need not hold an array each.
    private Entry[] _entries = [];

    // The text of the connection's last call up to its arguments ("# serpent utf-8 python3.2\n('obj','method',") and
    // the names read from it: a connection's calls mostly go to one method, so the next call usually starts with the
    // same bytes, and comparing them is cheaper than parsing them.
    private const int MaxHeadLength = 160;
    private byte[]? _head;
    private int _headLength;
    private string? _headObjectId;
    private string? _headMethod;

    // The last call read into this list. Its parts are this list, the shared empty kwargs and the cached names, so a
    // call to the same method is the same immutable record: it is handed out again instead of being made anew.
    private PyroCall? _lastCall;

    /// <summary>The call <c>(objectId, method, this list, no keywords)</c>: the previous one again when it is that.</summary>
    public PyroCall Call(string objectId, string method, IReadOnlyDictionary<string, object?> noKeywords)
    {
        if (_lastCall is { } last && (object)last.ObjectId == objectId && (object)last.Method == method) return last;
        return _lastCall = new PyroCall(objectId, method, this, noKeywords);
    }

    /// <summary>True when <paramref name="data"/> starts with the remembered call head; its length and names then.</summary>
    public bool TryMatchHead(ReadOnlySpan<byte> data, out int length, out string? objectId, out string? method)
    {
        (length, objectId, method) = (_headLength, _headObjectId, _headMethod);
        return _headLength > 0 && data.StartsWith(_head.AsSpan(0, _headLength));
    }

    /// <summary>Remembers a call's head (its bytes up to the arguments) and the names a full parse read from it.</summary>
    public void RememberHead(ReadOnlySpan<byte> head, string objectId, string method)
    {
        if (head.Length > MaxHeadLength)
        {
            _headLength = 0;
            return;
        }
        _head ??= new byte[MaxHeadLength];
        head.CopyTo(_head);
        (_headLength, _headObjectId, _headMethod) = (head.Length, objectId, method);
    }

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
        if (Count == _entries.Length) Array.Resize(ref _entries, Math.Max(4, Count * 2));
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
