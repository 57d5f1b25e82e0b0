using System.Buffers;

namespace TypedPyro.Protocol;

/// <summary>
/// A reusable output buffer for one connection's messages. Small buffers are its own; a buffer grown for a bulk
/// message comes from (and goes back to) the shared array pool, so the next bulk message finds warm memory there
/// instead of faulting in fresh pages, and an idle connection holds only the small one.
/// </summary>
internal sealed class PooledBufferWriter(int initialCapacity) : CacheLineIsolated, IBufferWriter<byte>
{
#pragma warning disable CS0169 // never read: the padding is the point
    private readonly CacheLinePadding _trail;
#pragma warning restore CS0169

    // Above this, the buffer is given back to the pool when the owner calls Trim after a message.
    private const int KeepLimit = 1 << 20;

    // Nothing until the first message: an idle connection (10,000 of them in the scale test) holds no buffer.
    private byte[] _buffer = [];
    private bool _pooled;
    private int _written;

    public int WrittenCount => _written;

    public ReadOnlyMemory<byte> WrittenMemory => _buffer.AsMemory(0, _written);

    public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, _written);

    public void ResetWrittenCount()
    {
        _written = 0;
        _references?.Clear();
    }

    // ---- references: bulk arrays sent in place rather than copied in (see TryAppendReference) ------------------

    private List<(int Offset, ReadOnlyMemory<byte> Data)>? _references;

    /// <summary>
    /// Whether <see cref="TryAppendReference"/> may keep a reference instead of copying: set by an owner that sends the
    /// output before the referenced arrays can change (a proxy's call payload, sent while its caller waits).
    /// </summary>
    public bool AllowReferences { get; set; }

    /// <summary>True when the output is in pieces: use <see cref="TotalLength"/> and <see cref="WriteToAsync"/>.</summary>
    public bool HasReferences => _references is { Count: > 0 };

    /// <summary>The output's length, referenced pieces included.</summary>
    public int TotalLength
    {
        get
        {
            long total = _written;
            if (_references is not null) foreach (var (_, data) in _references) total += data.Length;
            return total > int.MaxValue ? throw new MessageTooLargeException("payload exceeds 2 GiB") : (int)total;
        }
    }

    /// <summary>Appends <paramref name="data"/> as a reference (no copy) when allowed; false: the caller copies it.</summary>
    public bool TryAppendReference(ReadOnlyMemory<byte> data)
    {
        if (!AllowReferences) return false;
        (_references ??= []).Add((_written, data));
        return true;
    }

    /// <summary>Sends the output, referenced pieces in place.</summary>
    public async ValueTask WriteToAsync(Stream stream, CancellationToken cancellationToken)
    {
        int pos = 0;
        foreach (var (offset, data) in _references ?? [])
        {
            if (offset > pos) await stream.WriteAsync(_buffer.AsMemory(pos, offset - pos), cancellationToken).ConfigureAwait(false);
            await stream.WriteAsync(data, cancellationToken).ConfigureAwait(false);
            pos = offset;
        }
        if (_written > pos) await stream.WriteAsync(_buffer.AsMemory(pos, _written - pos), cancellationToken).ConfigureAwait(false);
    }

    /// <summary><see cref="WriteToAsync"/>, blocking.</summary>
    public void WriteTo(Stream stream)
    {
        int pos = 0;
        foreach (var (offset, data) in _references ?? [])
        {
            if (offset > pos) stream.Write(_buffer, pos, offset - pos);
            stream.Write(data.Span);
            pos = offset;
        }
        if (_written > pos) stream.Write(_buffer, pos, _written - pos);
    }

    public void Advance(int count)
    {
        if ((uint)count > (uint)(_buffer.Length - _written)) throw new InvalidOperationException("advanced past the end of the buffer");
        _written += count;
    }

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsMemory(_written);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsSpan(_written);
    }

    /// <summary>Gives a bulk-sized buffer back to the pool and drops references (call between messages).</summary>
    public void Trim()
    {
        _references?.Clear(); // don't keep a caller's bulk array alive
        if (_buffer.Length <= KeepLimit) return;
        Release();
        _buffer = [];
        _written = 0;
    }

    private void Ensure(int sizeHint)
    {
        int needed = Math.Max(sizeHint, 1);
        if (_buffer.Length - _written >= needed) return;
        int size = (int)Math.Min(Array.MaxLength, Math.Max((long)_written + needed, 2L * _buffer.Length));
        if (size <= initialCapacity)
        {
            // The connection's own small buffer, made on first use.
            var small = new byte[initialCapacity];
            _buffer.AsSpan(0, _written).CopyTo(small);
            _buffer = small;
            return;
        }
        var bigger = ArrayPool<byte>.Shared.Rent(size);
        _buffer.AsSpan(0, _written).CopyTo(bigger);
        Release();
        _buffer = bigger;
        _pooled = true;
    }

    private void Release()
    {
        if (_pooled) ArrayPool<byte>.Shared.Return(_buffer);
        _pooled = false;
    }
}
