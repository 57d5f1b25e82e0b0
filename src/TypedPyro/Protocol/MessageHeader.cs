using System.Buffers.Binary;
using TypedPyro.Serialization;

namespace TypedPyro.Protocol;

/// <summary>
/// The fixed 24-byte Pyro4 message header (Python struct <c>!4sHHHHiHHHH</c>), big-endian.
/// </summary>
public readonly record struct MessageHeader(
    MessageType Type,
    MessageFlags Flags,
    ushort Sequence,
    int DataSize,
    ushort SerializerId,
    ushort AnnotationsSize)
{
    /// <summary>Header length in bytes.</summary>
    public const int Size = 24;

    /// <summary>The protocol version spoken by Pyro4 4.82.</summary>
    public const ushort ProtocolVersion = 48;

    private const ushort ChecksumMagic = 0x34E9;

    /// <summary>The header checksum: the sum of the numeric fields and a magic constant, truncated to 16 bits.</summary>
    public ushort Checksum => ComputeChecksum((ushort)Type, ProtocolVersion, DataSize, AnnotationsSize, SerializerId, (ushort)Flags, Sequence);

    /// <summary>The serializer id as the enum (may be a value the enum does not name).</summary>
    public SerializerId Serializer => (SerializerId)SerializerId;

    /// <summary>Writes the header into the first 24 bytes of <paramref name="destination"/>.</summary>
    public void Write(Span<byte> destination)
    {
        destination = destination[..Size];
        "PYRO"u8.CopyTo(destination);
        BinaryPrimitives.WriteUInt16BigEndian(destination[4..], ProtocolVersion);
        BinaryPrimitives.WriteUInt16BigEndian(destination[6..], (ushort)Type);
        BinaryPrimitives.WriteUInt16BigEndian(destination[8..], (ushort)Flags);
        BinaryPrimitives.WriteUInt16BigEndian(destination[10..], Sequence);
        BinaryPrimitives.WriteInt32BigEndian(destination[12..], DataSize);
        BinaryPrimitives.WriteUInt16BigEndian(destination[16..], SerializerId);
        BinaryPrimitives.WriteUInt16BigEndian(destination[18..], AnnotationsSize);
        BinaryPrimitives.WriteUInt16BigEndian(destination[20..], 0);
        BinaryPrimitives.WriteUInt16BigEndian(destination[22..], Checksum);
    }

    /// <summary>
    /// Parses and validates a header: tag, protocol version, checksum and a non-negative data size.
    /// The message type is not checked here: which types are acceptable depends on the connection state.
    /// </summary>
    /// <exception cref="ProtocolException">The bytes are not a valid Pyro4 protocol 48 header.</exception>
    public static MessageHeader Parse(ReadOnlySpan<byte> source)
    {
        if (source.Length < Size) throw new ProtocolException("header too short");
        if (!source[..4].SequenceEqual("PYRO"u8) || BinaryPrimitives.ReadUInt16BigEndian(source[4..]) != ProtocolVersion)
            throw new ProtocolException("invalid data or unsupported protocol version");
        var header = new MessageHeader(
            (MessageType)BinaryPrimitives.ReadUInt16BigEndian(source[6..]),
            (MessageFlags)BinaryPrimitives.ReadUInt16BigEndian(source[8..]),
            BinaryPrimitives.ReadUInt16BigEndian(source[10..]),
            BinaryPrimitives.ReadInt32BigEndian(source[12..]),
            BinaryPrimitives.ReadUInt16BigEndian(source[16..]),
            BinaryPrimitives.ReadUInt16BigEndian(source[18..]));
        if (BinaryPrimitives.ReadUInt16BigEndian(source[22..]) != header.Checksum)
            throw new ProtocolException("header checksum mismatch");
        if (header.DataSize < 0) throw new ProtocolException("invalid data size " + header.DataSize);
        return header;
    }

    internal static ushort ComputeChecksum(ushort type, ushort version, int dataSize, ushort annotationsSize, ushort serializerId, ushort flags, ushort sequence)
        => (ushort)((type + version + dataSize + annotationsSize + serializerId + flags + sequence + ChecksumMagic) & 0xFFFF);
}
