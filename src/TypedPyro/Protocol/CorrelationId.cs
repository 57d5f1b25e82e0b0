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

    /// <summary>
    /// A random (version 4) UUID, as Python's <c>uuid.uuid4()</c>, for a call that came without a CORR. Drawn from a
    /// fast pseudo-random generator rather than the operating system's (<see cref="Guid.NewGuid"/> reads the kernel's
    /// random source, a system call per call): a correlation id must be unique, not secret.
    /// </summary>
    public static Guid NewRandom()
    {
        Span<byte> bytes = stackalloc byte[16];
        Random.Shared.NextBytes(bytes);
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x40); // version 4
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80); // RFC 4122 variant
        return new Guid(bytes, bigEndian: true);
    }

    /// <summary>Reads a CORR value.</summary>
    /// <exception cref="ProtocolException">The value is not 16 bytes.</exception>
    public static Guid FromBytes(ReadOnlySpan<byte> value)
        => value.Length == 16 ? new Guid(value, bigEndian: true) : throw new ProtocolException($"CORR annotation must be 16 bytes, got {value.Length}");
}
