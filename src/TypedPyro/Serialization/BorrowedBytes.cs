using System.Buffers;
using System.Buffers.Text;

namespace TypedPyro.Serialization;

/// <summary>
/// A bulk bytes argument of an incoming call, left where it arrived: a msgpack <c>bin</c> still in the connection's
/// receive buffer, or serpent's base64 text still undecoded there. The daemon hands these only to dispatchers that
/// read every argument through <see cref="PyroConvert"/> (<see cref="IPyroDispatcher.AcceptsBufferViews"/>); everyone
/// else gets <see cref="ToObjectModel()"/>, the value the deserializer would have made.
/// </summary>
/// <remarks>
/// A <see cref="ReadOnlyMemory{T}"/> parameter gets <see cref="View"/> without a copy (msgpack) or after one decode
/// into a pooled buffer (serpent); a <c>byte[]</c> parameter gets its own array, decoded straight from the UTF-8
/// text for serpent (no 2-bytes-per-char string on the way). Both are valid while the call runs; the daemon
/// <see cref="Release"/>s afterwards. At least <see cref="Threshold"/> bytes: smaller values are read as usual.
/// </remarks>
internal sealed class BorrowedBytes
{
    /// <summary>The size from which a bytes argument is borrowed (the size from which proxies send bulk data in place).</summary>
    public const int Threshold = 64 * 1024;

    private readonly ReadOnlyMemory<byte> _source;
    private readonly bool _base64;
    private byte[]? _decoded; // pooled, for a serpent view
    private int _decodedLength;

    private BorrowedBytes(ReadOnlyMemory<byte> source, bool base64)
    {
        _source = source;
        _base64 = base64;
    }

    /// <summary>Raw bytes (a msgpack bin).</summary>
    public static BorrowedBytes Binary(ReadOnlyMemory<byte> bytes) => new(bytes, base64: false);

    /// <summary>The base64 text of serpent's <c>{'data': ..., 'encoding': 'base64'}</c> bytes form.</summary>
    public static BorrowedBytes Base64Text(ReadOnlyMemory<byte> text) => new(text, base64: true);

    /// <summary>True for serpent's dict form: Python sees a dict, so messages name it so.</summary>
    public bool IsDictForm => _base64;

    /// <summary>The bytes, valid until <see cref="Release"/>.</summary>
    /// <exception cref="ArgumentException">Invalid base64.</exception>
    public ReadOnlyMemory<byte> View()
    {
        if (!_base64) return _source;
        if (_decoded is null)
        {
            var text = _source.Span;
            var buffer = ArrayPool<byte>.Shared.Rent(Base64.GetMaxDecodedFromUtf8Length(text.Length));
            if (Base64.DecodeFromUtf8(text, buffer, out int consumed, out int written) != OperationStatus.Done || consumed != text.Length)
            {
                ArrayPool<byte>.Shared.Return(buffer);
                return ToArray(); // the tolerant path (line breaks...), or its error
            }
            (_decoded, _decodedLength) = (buffer, written);
        }
        return _decoded.AsMemory(0, _decodedLength);
    }

    /// <summary>A new array of the bytes (what a <c>byte[]</c> parameter gets).</summary>
    /// <exception cref="ArgumentException">Invalid base64.</exception>
    public byte[] ToArray()
    {
        if (!_base64) return Copy(_source.Span);
        if (_decoded is not null) return Copy(_decoded.AsSpan(0, _decodedLength));
        var text = _source.Span;
        int padding = text.EndsWith("=="u8) ? 2 : text.EndsWith("="u8) ? 1 : 0;
        if (text.Length % 4 == 0)
        {
            var result = GC.AllocateUninitializedArray<byte>(text.Length / 4 * 3 - padding);
            if (Base64.DecodeFromUtf8(text, result, out int consumed, out int written) == OperationStatus.Done
                && consumed == text.Length && written == result.Length)
                return result;
        }
        return PyroConvert.ToBytes(ToObjectModel());
    }

    /// <summary>The value as the deserializer would have made it: a <c>byte[]</c>, or serpent's bytes dict.</summary>
    public object ToObjectModel() => _base64
        ? new Dictionary<object, object?>(PyValueComparer.Instance) { ["data"] = System.Text.Encoding.ASCII.GetString(_source.Span), ["encoding"] = "base64" }
        : Copy(_source.Span);

    /// <summary>Gives back what a view decoded into. Nothing may use <see cref="View"/> afterwards.</summary>
    public void Release()
    {
        if (_decoded is { } decoded) ArrayPool<byte>.Shared.Return(decoded);
        _decoded = null;
    }

    /// <summary>Drops the pooled buffer without returning it, for a view that may outlive the call (a stream result).</summary>
    public void Abandon() => _decoded = null;

    private static byte[] Copy(ReadOnlySpan<byte> bytes)
    {
        // Not zeroed first: every byte is overwritten, and bulk data is megabytes.
        var copy = GC.AllocateUninitializedArray<byte>(bytes.Length);
        bytes.CopyTo(copy);
        return copy;
    }

    /// <summary>
    /// The arguments with every borrowed one in its object-model form (for dispatchers that read arguments raw, and
    /// for calls that outlive the receive buffer); the same list when none is borrowed, except that a connection's
    /// reused <see cref="CallArguments"/> always becomes a tuple of its own.
    /// </summary>
    public static IReadOnlyList<object?> ToObjectModel(IReadOnlyList<object?> args)
    {
        if (args is CallArguments reused) args = reused.ToTuple();
        List<object?>? copy = null;
        for (int i = 0; i < args.Count; i++)
        {
            if (args[i] is not BorrowedBytes borrowed) continue;
            copy ??= [.. args];
            copy[i] = borrowed.ToObjectModel();
        }
        return copy ?? args;
    }

    /// <summary>
    /// Releases every borrowed argument once the call is over, or abandons them when a result may still use them;
    /// true when there was one.
    /// </summary>
    public static bool ReleaseAll(IReadOnlyList<object?> args, bool abandon)
    {
        bool any = false;
        for (int i = 0; i < args.Count; i++)
        {
            if (args[i] is not BorrowedBytes borrowed) continue;
            any = true;
            if (abandon) borrowed.Abandon();
            else borrowed.Release();
        }
        return any;
    }
}
