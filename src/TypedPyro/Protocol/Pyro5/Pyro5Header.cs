using System.Buffers.Binary;

namespace TypedPyro.Protocol;

/// <summary>
/// The fixed 40-byte Pyro5 message header (Python struct <c>!4sHBBHHII16sHH</c>), big-endian, with its wire values:
/// Pyro5 flags and Pyro5 serializer id (see <see cref="Pyro5Wire"/> for the model's).
/// </summary>
internal readonly record struct Pyro5Header(byte Type, byte SerializerId, ushort Flags, ushort Sequence, uint DataSize, uint AnnotationsSize, Guid CorrelationId)
{
    /// <summary>Header length in bytes.</summary>
    public const int Size = 40;

    /// <summary>The bytes Pyro5 reads first and checks before the rest of the header: tag and version.</summary>
    public const int PrefixSize = 6;

    /// <summary>Writes the header into the first 40 bytes of <paramref name="destination"/>.</summary>
    public void Write(Span<byte> destination)
    {
        destination = destination[..Size];
        "PYRO"u8.CopyTo(destination);
        BinaryPrimitives.WriteUInt16BigEndian(destination[4..], Pyro5Wire.ProtocolVersion);
        destination[6] = Type;
        destination[7] = SerializerId;
        BinaryPrimitives.WriteUInt16BigEndian(destination[8..], Flags);
        BinaryPrimitives.WriteUInt16BigEndian(destination[10..], Sequence);
        BinaryPrimitives.WriteUInt32BigEndian(destination[12..], DataSize);
        BinaryPrimitives.WriteUInt32BigEndian(destination[16..], AnnotationsSize);
        CorrelationId.TryWriteBytes(destination[20..36], bigEndian: true, out _);
        BinaryPrimitives.WriteUInt16BigEndian(destination[36..], 0);
        BinaryPrimitives.WriteUInt16BigEndian(destination[38..], Pyro5Wire.Magic);
    }

    /// <summary>
    /// Pyro5's first check (<c>ReceivingMessage.validate</c> on the first 6 bytes), with its error texts: the tag, then
    /// the protocol version.
    /// </summary>
    /// <exception cref="ProtocolException">"invalid data" or "invalid protocol version: N".</exception>
    public static void CheckPrefix(ReadOnlySpan<byte> prefix)
    {
        if (prefix.Length < 4 || !prefix[..4].SequenceEqual("PYRO"u8)) throw new ProtocolException("invalid data");
        if (prefix.Length >= PrefixSize && BinaryPrimitives.ReadUInt16BigEndian(prefix[4..]) is var version and not Pyro5Wire.ProtocolVersion)
            throw new ProtocolException("invalid protocol version: " + version);
    }

    /// <summary>
    /// Parses a whole header with Pyro5's checks in its order: tag and version, magic, then the size limit.
    /// </summary>
    /// <param name="source">At least 40 bytes.</param>
    /// <param name="maxMessageSize">Largest data + annotations size accepted (Pyro5 always has one).</param>
    /// <exception cref="ProtocolException">Not a valid protocol 502 header, or over the limit (Pyro5's own texts).</exception>
    public static Pyro5Header Parse(ReadOnlySpan<byte> source, long maxMessageSize)
    {
        if (source.Length < Size) throw new ProtocolException("header too short");
        CheckPrefix(source[..PrefixSize]);
        if (BinaryPrimitives.ReadUInt16BigEndian(source[38..]) != Pyro5Wire.Magic) throw new ProtocolException("invalid message or protocol version");
        var header = new Pyro5Header(
            source[6],
            source[7],
            BinaryPrimitives.ReadUInt16BigEndian(source[8..]),
            BinaryPrimitives.ReadUInt16BigEndian(source[10..]),
            BinaryPrimitives.ReadUInt32BigEndian(source[12..]),
            BinaryPrimitives.ReadUInt32BigEndian(source[16..]),
            new Guid(source[20..36], bigEndian: true));
        long size = (long)header.DataSize + header.AnnotationsSize;
        if (size > maxMessageSize) throw new MessageTooLargeException($"message too large ({size:D}, max={maxMessageSize:D})");
        return header;
    }

    /// <summary>Data plus annotations: the bytes after the header.</summary>
    public long BodySize => (long)DataSize + AnnotationsSize;
}
