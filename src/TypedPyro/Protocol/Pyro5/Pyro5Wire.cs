using TypedPyro.Serialization;

namespace TypedPyro.Protocol;

/// <summary>
/// What differs between the Pyro5 wire (protocol 502) and the message model the rest of TypedPyro works with, which
/// is Pyro4's (<see cref="PyroMessage"/> with Pyro4 flags, Pyro4 serializer ids and the correlation id in a CORR
/// annotation). <see cref="Pyro5Codec"/> translates at the framing boundary, so that client and daemon code above
/// it need not know which protocol a connection speaks.
/// </summary>
internal static class Pyro5Wire
{
    /// <summary>Pyro5's protocol version.</summary>
    public const ushort ProtocolVersion = 502;

    /// <summary>The magic number in the last two header bytes (Pyro5 has no checksum).</summary>
    public const ushort Magic = 0x4dc5;

    /// <summary>Pyro5's default MAX_MESSAGE_SIZE (1 GiB), used when the configuration sets no limit.</summary>
    public const long DefaultMaxMessageSize = 1073741824;

    // Pyro5's flag bits (protocol.py). 16, 32 and 64 mean other things in Pyro4.
    private const ushort ItemStreamResult5 = 1 << 4;
    private const ushort KeepSerialized5 = 1 << 5;
    /// <summary>FLAGS_CORR_ID: the header's 16-byte correlation id is set.</summary>
    public const ushort CorrelationFlag = 1 << 6;
    private const ushort SharedFlags = 0x000F; // exception, compressed, oneway, batch: the same bits in both

    /// <summary>Pyro5 wire flags from model flags (the CORR_ID bit is the caller's, from the CORR annotation).</summary>
    public static ushort ToWireFlags(MessageFlags flags)
    {
        var f = (ushort)flags;
        ushort wire = (ushort)(f & SharedFlags);
        if ((flags & MessageFlags.ItemStreamResult) != 0) wire |= ItemStreamResult5;
        if ((flags & MessageFlags.KeepSerialized) != 0) wire |= KeepSerialized5;
        // META_ON_CONNECT has no Pyro5 counterpart (Pyro5 always sends metadata); bits above 0x7f pass unchanged.
        return (ushort)(wire | (f & 0xFF80));
    }

    /// <summary>Model flags from Pyro5 wire flags (the CORR_ID bit dropped: it becomes the CORR annotation).</summary>
    public static MessageFlags FromWireFlags(ushort wire)
    {
        var f = (ushort)(wire & SharedFlags);
        if ((wire & ItemStreamResult5) != 0) f |= (ushort)MessageFlags.ItemStreamResult;
        if ((wire & KeepSerialized5) != 0) f |= (ushort)MessageFlags.KeepSerialized;
        return (MessageFlags)(f | (wire & 0xFF80));
    }

    // A Pyro5 id the model has no name for is kept above 255, so that it survives the way back unchanged.
    private const ushort UnknownBase = 0x100;

    /// <summary>The model's (Pyro4) serializer id for a Pyro5 wire id: serpent 1, marshal 2, json 3, msgpack 4.</summary>
    public static ushort FromWireSerializer(byte wire) => wire switch
    {
        1 => (ushort)SerializerId.Serpent,
        2 => (ushort)SerializerId.Marshal,
        3 => (ushort)SerializerId.Json,
        4 => (ushort)SerializerId.MsgPack,
        42 => (ushort)SerializerId.Ping,
        _ => (ushort)(UnknownBase + wire),
    };

    /// <summary>The Pyro5 wire id for a model serializer id.</summary>
    /// <exception cref="ProtocolException">Pyro5 has no such serializer (pickle, dill, cloudpickle).</exception>
    public static byte ToWireSerializer(ushort model) => (SerializerId)model switch
    {
        SerializerId.Serpent => 1,
        SerializerId.Marshal => 2,
        SerializerId.Json => 3,
        SerializerId.MsgPack => 4,
        SerializerId.Ping => 42,
        _ when model is >= UnknownBase and <= UnknownBase + 255 => (byte)(model - UnknownBase),
        _ => throw new ProtocolException($"serializer {model} has no Pyro5 id"),
    };
}
