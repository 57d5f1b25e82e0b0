using System.Buffers.Binary;
using TypedPyro.Protocol;
using TypedPyro.Serialization;

namespace TypedPyro.Cli.Commands.Check;

/// <summary>
/// The first message a Pyro4 or a Pyro5 proxy sends: a CONNECT for <paramref name="objectId"/> in serpent. Every Pyro
/// daemon answers it in its own protocol: CONNECTOK, or CONNECTFAIL when the version is not its own.
/// </summary>
internal static class ProbeMessages
{
    public static byte[] Pyro4Connect(string objectId)
    {
        var payload = ConnectPayload(objectId);
        var message = new PyroMessage(MessageType.Connect, MessageFlags.MetaOnConnect, 0, (ushort)SerializerId.Serpent, payload);
        return MessageCodec.ToBytes(message, MessageSecurity.None);
    }

    /// <summary>Pyro5's 40-byte header (<c>!4sHBBHHII16sHH</c>, magic 0x4dc5) and the same payload.</summary>
    public static byte[] Pyro5Connect(string objectId)
    {
        var payload = ConnectPayload(objectId);
        var bytes = new byte[40 + payload.Length];
        "PYRO"u8.CopyTo(bytes);
        BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(4), 502);
        bytes[6] = 1; // MSG_CONNECT
        bytes[7] = 1; // serpent (Pyro5's id)
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(12), (uint)payload.Length);
        BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(38), 0x4dc5);
        payload.CopyTo(bytes, 40);
        return bytes;
    }

    private static byte[] ConnectPayload(string objectId)
        => PyroSerializers.Serpent.Serialize(new Dictionary<object, object?> { ["handshake"] = "hello", ["object"] = objectId });
}
