using TypedPyro.Serialization;

namespace TypedPyro.Protocol;

/// <summary>
/// One Pyro4 wire message: header fields, annotations in wire order, and the payload exactly as on the wire
/// (compressed when <see cref="MessageFlags.Compressed"/> is set). Immutable once built, except for the one message a
/// daemon connection's reader refills with each request it receives (<see cref="Refill"/>), which never leaves it.
/// </summary>
public sealed class PyroMessage
{
    private static readonly Annotation[] NoAnnotations = [];

    /// <summary>Creates a message.</summary>
    public PyroMessage(MessageType type, MessageFlags flags, ushort sequence, ushort serializerId, ReadOnlyMemory<byte> payload, IReadOnlyList<Annotation>? annotations = null)
    {
        Type = type;
        Flags = flags;
        Sequence = sequence;
        SerializerId = serializerId;
        Payload = payload;
        Annotations = annotations ?? NoAnnotations;
    }

    /// <summary>The message type.</summary>
    public MessageType Type { get; private set; }
    /// <summary>The flags.</summary>
    public MessageFlags Flags { get; private set; }
    /// <summary>The sequence number.</summary>
    public ushort Sequence { get; private set; }
    /// <summary>The serializer id (may be one the enum does not name, e.g. 42 for PING).</summary>
    public ushort SerializerId { get; private set; }
    /// <summary>The serializer id as the enum.</summary>
    public SerializerId Serializer => (SerializerId)SerializerId;
    /// <summary>The payload as on the wire.</summary>
    public ReadOnlyMemory<byte> Payload { get; private set; }
    /// <summary>The annotations in wire order (an HMAC annotation, if any, included).</summary>
    public IReadOnlyList<Annotation> Annotations { get; private set; }

    /// <summary>
    /// Makes this the next message a daemon connection received. Its requests are handled one at a time, each before
    /// the next is read, so one message object serves them all (a request kept beyond that is detached first).
    /// </summary>
    internal void Refill(MessageType type, MessageFlags flags, ushort sequence, ushort serializerId, ReadOnlyMemory<byte> payload, IReadOnlyList<Annotation> annotations)
    {
        Type = type;
        Flags = flags;
        Sequence = sequence;
        SerializerId = serializerId;
        Payload = payload;
        Annotations = annotations;
    }

    /// <summary>True when <paramref name="flag"/> is set.</summary>
    public bool Has(MessageFlags flag) => (Flags & flag) == flag;

    /// <summary>Finds an annotation by key.</summary>
    public bool TryGetAnnotation(string key, out ReadOnlyMemory<byte> value)
    {
        var all = Annotations;
        for (int i = 0; i < all.Count; i++)
        {
            if (all[i].Key == key)
            {
                value = all[i].Value;
                return true;
            }
        }
        value = default;
        return false;
    }

    /// <summary>The correlation id from the CORR annotation, if present and well-formed.</summary>
    public Guid? CorrelationId => TryGetAnnotation(Annotation.Correlation, out var v) && v.Length == 16 ? Protocol.CorrelationId.FromBytes(v.Span) : null;

    /// <summary>
    /// The payload ready for the serializer: decompressed when the message is compressed.
    /// </summary>
    /// <param name="maxSize">Upper bound for the decompressed size (0 = <see cref="PayloadCompression.DefaultMaxDecompressedSize"/>).</param>
    /// <exception cref="ProtocolException">The compressed data is corrupt or inflates beyond <paramref name="maxSize"/>.</exception>
    public ReadOnlyMemory<byte> GetSerializedData(long maxSize = 0)
        => Has(MessageFlags.Compressed) ? PayloadCompression.Decompress(Payload.Span, (int)Math.Min(maxSize, int.MaxValue)) : Payload;

    /// <inheritdoc/>
    public override string ToString() => $"{Type} seq={Sequence} flags={Flags} ser={SerializerId} data={Payload.Length} ann=[{string.Join(",", Annotations)}]";
}
