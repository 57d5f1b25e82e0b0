using TypedPyro.Protocol;

namespace TypedPyro.Fuzz;

/// <summary>
/// The wire message reader: header, size limit, type, annotations, HMAC check and decompression, as a daemon
/// connection reads a stream of messages (<see cref="MessageReader"/>) and as a proxy reads one
/// (<see cref="MessageCodec.ReadAsync(Stream, uint, MessageSecurity, CancellationToken)"/>).
/// </summary>
/// <remarks>
/// The first input byte chooses the reader's settings (bit 0: an HMAC key, bit 1: MAX_MESSAGE_SIZE 4096, bit 2: the
/// daemon's refilled message, bit 3: also the proxy's reader); the rest is what arrives on the connection.
/// </remarks>
public sealed class MessageReaderTarget : IFuzzTarget
{
    // The golden vectors' HMAC key (shared/spec/vectors, msg_*_hmac_*): a public test value, so that signed seeds
    // pass the check and the fuzzer explores what lies behind it.
    private static readonly byte[] VectorsKey = "secret"u8.ToArray();
    private const int MaxMessages = 64;
    private const int MaxDecompressed = 1 << 20;

    /// <inheritdoc/>
    public string Name => "message";

    /// <inheritdoc/>
    public void Run(byte[] input)
    {
        if (input.Length == 0) return;
        byte settings = input[0];
        var security = new MessageSecurity((settings & 1) != 0 ? VectorsKey : null, (settings & 2) != 0 ? 4096 : 0);
        ReadStream(new MemoryStream(input, 1, input.Length - 1, writable: false), security, refill: (settings & 4) != 0);
        if ((settings & 8) != 0) ReadOneAsProxy(new MemoryStream(input, 1, input.Length - 1, writable: false), security);
    }

    private static void ReadStream(Stream stream, MessageSecurity security, bool refill)
    {
        var reader = new MessageReader(stream, security, refill);
        try
        {
            for (int i = 0; i < MaxMessages; i++) Inspect(reader.Read(MessageCodec.AnyType));
        }
        catch (Exception e) when (IsDocumented(e))
        {
        }
    }

    private static void ReadOneAsProxy(Stream stream, MessageSecurity security)
    {
        try
        {
            var read = MessageCodec.ReadAsync(stream, MessageCodec.AnyType, security);
            // A memory stream completes every read at once: the read is already over.
            if (!read.IsCompleted) throw new FuzzInvariantException("a read of a memory stream did not complete synchronously");
            Inspect(read.GetAwaiter().GetResult());
        }
        catch (Exception e) when (IsDocumented(e))
        {
        }
    }

    /// <summary>What the receiver does with a message next: its correlation id, a detached copy, its payload.</summary>
    private static void Inspect(PyroMessage message)
    {
        _ = message.CorrelationId;
        var copy = MessageReader.Detach(message);
        if (copy.Payload.Length != message.Payload.Length || copy.Annotations.Count != message.Annotations.Count)
            throw new FuzzInvariantException("a detached message differs from the original");
        _ = message.ToString();
        var data = message.GetSerializedData(MaxDecompressed);
        if (data.Length > MaxDecompressed) throw new FuzzInvariantException($"decompressed {data.Length} bytes beyond the limit");
    }

    /// <summary>The exceptions MessageCodec and MessageReader document for bad input.</summary>
    private static bool IsDocumented(Exception e)
        => e is ConnectionClosedException or ProtocolException or PyroSecurityException;
}
