namespace TypedPyro.Protocol;

/// <summary>
/// Converts correlation ids between <see cref="Guid"/> and the 16-byte CORR annotation, which carries the
/// UUID in RFC 4122 (big-endian) byte order as Python's <c>uuid.UUID.bytes</c> does. <see cref="Guid.ToByteArray()"/>
/// is mixed-endian and must not be used for this.
/// </summary>
public static class CorrelationId
{
    /// <summary>The RFC 4122 bytes of <paramref name="id"/>.</summary>
    public static byte[] ToBytes(Guid id)
    {
        var bytes = new byte[16];
        id.TryWriteBytes(bytes, bigEndian: true, out _);
        return bytes;
    }

    /// <summary>Reads a CORR value.</summary>
    /// <exception cref="ProtocolException">The value is not 16 bytes.</exception>
    public static Guid FromBytes(ReadOnlySpan<byte> value)
        => value.Length == 16 ? new Guid(value, bigEndian: true) : throw new ProtocolException($"CORR annotation must be 16 bytes, got {value.Length}");
}
