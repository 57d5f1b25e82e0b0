using TypedPyro.Protocol;

namespace TypedPyro;

/// <summary>
/// The last reply's annotations for <see cref="PyroProxy.ResponseAnnotations"/>. Every reply carries at least CORR,
/// and few callers look: the values are copied into one reused block per reply, and the list is only built when read.
/// </summary>
internal sealed class ResponseAnnotationStore
{
    private readonly Lock _lock = new();
    private byte[] _block = new byte[64];
    private int _length;
    private IReadOnlyList<Annotation>? _list = [];

    /// <summary>Remembers <paramref name="annotations"/>, whose values may live in a buffer about to be reused.</summary>
    public void Keep(IReadOnlyList<Annotation> annotations)
    {
        lock (_lock)
        {
            int size = 0;
            for (int i = 0; i < annotations.Count; i++) size += 6 + annotations[i].Value.Length;
            if (_block.Length < size) _block = new byte[size];
            int pos = 0;
            for (int i = 0; i < annotations.Count; i++) pos = MessageCodec.WriteChunk(_block, pos, annotations[i].Key, annotations[i].Value.Span);
            _length = pos;
            _list = annotations.Count == 0 ? [] : null;
        }
    }

    /// <summary>The remembered annotations, each value a copy of its own.</summary>
    public IReadOnlyList<Annotation> Current
    {
        get
        {
            lock (_lock)
            {
                if (_list is not null) return _list;
                // Parsed from the block, each value then copied: the block is overwritten by the next reply.
                return _list = MessageCodec.ParseAnnotations(_block.AsMemory(0, _length))
                    .Select(a => a with { Value = a.Value.ToArray() })
                    .ToList();
            }
        }
    }
}
