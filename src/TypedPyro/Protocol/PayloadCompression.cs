using System.Buffers;
using System.IO.Compression;

namespace TypedPyro.Protocol;

/// <summary>
/// zlib payload compression (RFC 1950, as Python's <c>zlib.compress</c>), used when COMPRESSION is on, for
/// payloads of at least <see cref="Threshold"/> bytes when it makes them smaller.
/// </summary>
public static class PayloadCompression
{
    /// <summary>Payloads shorter than this are never compressed (Pyro4's rule).</summary>
    public const int Threshold = 200;

    /// <summary>Bound on inflated size when no MAX_MESSAGE_SIZE is configured: protects against zlib bombs.</summary>
    public const int DefaultMaxDecompressedSize = 1 << 30;

    /// <summary>Compresses when worthwhile; returns null when the payload should go uncompressed.</summary>
    public static byte[]? TryCompress(ReadOnlySpan<byte> payload)
    {
        if (payload.Length < Threshold) return null;
        var output = new MemoryStream(payload.Length / 2 + 64);
        using (var zlib = new ZLibStream(output, CompressionLevel.Optimal, leaveOpen: true))
        {
            zlib.Write(payload);
        }
        return output.Length < payload.Length ? output.ToArray() : null;
    }

    /// <summary>Inflates a zlib payload.</summary>
    /// <exception cref="ProtocolException">Corrupt data, or more than <paramref name="maxSize"/> bytes.</exception>
    public static byte[] Decompress(ReadOnlySpan<byte> compressed, int maxSize = 0)
    {
        if (maxSize <= 0) maxSize = DefaultMaxDecompressedSize;
        var input = new MemoryStream(compressed.ToArray(), writable: false);
        var output = new ArrayBufferWriter<byte>(Math.Min(maxSize, Math.Max(256, compressed.Length * 4)));
        try
        {
            using var zlib = new ZLibStream(input, CompressionMode.Decompress);
            while (true)
            {
                var span = output.GetSpan(16 * 1024);
                int read = zlib.Read(span);
                if (read == 0) break;
                output.Advance(read);
                if (output.WrittenCount > maxSize) throw new ProtocolException($"decompressed payload exceeds {maxSize} bytes");
            }
        }
        // Some corruptions surface as ZLibException, an IOException (found by fuzzing).
        catch (Exception e) when (e is InvalidDataException or IOException)
        {
            throw new ProtocolException("corrupt compressed payload: " + e.Message, e);
        }
        // ZLibStream reports a truncated stream as a clean end; the Adler-32 trailer tells the difference.
        if (compressed.Length < 6 || System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(compressed[^4..]) != Adler32(output.WrittenSpan))
            throw new ProtocolException("corrupt compressed payload: incomplete or truncated stream");
        return output.WrittenSpan.ToArray();
    }

    private static uint Adler32(ReadOnlySpan<byte> data)
    {
        const uint Mod = 65521;
        uint a = 1, b = 0;
        while (!data.IsEmpty)
        {
            // 5552 is the largest block for which b cannot overflow 32 bits before the modulo.
            var block = data[..Math.Min(5552, data.Length)];
            foreach (byte x in block)
            {
                a += x;
                b += a;
            }
            a %= Mod;
            b %= Mod;
            data = data[block.Length..];
        }
        return (b << 16) | a;
    }
}
