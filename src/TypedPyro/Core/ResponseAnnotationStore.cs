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
            for (int i = 0; i < annotations.Count; i++)
            {
                var a = annotations[i];
                System.Text.Encoding.ASCII.GetBytes(a.Key, _block.AsSpan(pos, 4));
                System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(_block.AsSpan(pos + 4), (ushort)a.Value.Length);
                a.Value.Span.CopyTo(_block.AsSpan(pos + 6));
                pos += 6 + a.Value.Length;
            }
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
                var list = new List<Annotation>();
                for (int pos = 0; pos < _length;)
                {
                    int length = System.Buffers.Binary.BinaryPrimitives.ReadUInt16BigEndian(_block.AsSpan(pos + 4));
                    list.Add(new Annotation(AnnotationKeyCache.Get(_block.AsSpan(pos, 4)), _block.AsSpan(pos + 6, length).ToArray()));
                    pos += 6 + length;
                }
                return _list = list;
            }
        }
    }
}
