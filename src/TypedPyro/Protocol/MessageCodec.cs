using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace TypedPyro.Protocol;

/// <summary>
/// Writes and reads whole Pyro4 messages. Stateless and thread-safe; a stream itself must not be read
/// (or written) by two callers at once.
/// </summary>
public static class MessageCodec
{
    /// <summary>Bit mask of the message types accepted by a read (bit <c>1 &lt;&lt; type</c>).</summary>
    public static uint Accept(params ReadOnlySpan<MessageType> types)
    {
        uint mask = 0;
        foreach (var t in types) mask |= 1u << (int)t;
        return mask;
    }

    /// <summary>Every message type.</summary>
    public static readonly uint AnyType = Accept(MessageType.Connect, MessageType.ConnectOk, MessageType.ConnectFail, MessageType.Invoke, MessageType.Result, MessageType.Ping);

    /// <summary>
    /// Frames a message into <paramref name="output"/>: header, annotations in the given order, an HMAC annotation
    /// last when a key is set, then the payload. The whole message is produced in one piece so that the transport can
    /// send it with a single write.
    /// </summary>
    /// <exception cref="ArgumentException">An annotation key is not 4 ASCII characters, or it is HMAC.</exception>
    /// <exception cref="ProtocolException">An annotation is larger than 65535 bytes, or all of them together are.</exception>
    /// <exception cref="MessageTooLargeException">Payload plus annotations exceed MAX_MESSAGE_SIZE.</exception>
    public static void Write(IBufferWriter<byte> output, PyroMessage message, MessageSecurity security)
        => Write(output, message.Type, message.Flags, message.Sequence, message.SerializerId, message.Payload, message.Annotations, security);

    /// <summary><see cref="Write(IBufferWriter{byte}, PyroMessage, MessageSecurity)"/> from the message's parts, for senders that build no message object.</summary>
    internal static void Write(IBufferWriter<byte> output, MessageType type, MessageFlags flags, ushort sequence, ushort serializerId,
        ReadOnlyMemory<byte> payloadMemory, IReadOnlyList<Annotation> all, MessageSecurity security)
        => Write(output, type, flags, sequence, serializerId, payloadMemory.Span, payloadMemory.Length, all, security, includePayload: true);

    /// <summary>Payloads at least this big are sent apart from their header instead of being copied behind it.</summary>
    internal const int SeparatePayloadSize = 64 * 1024;

    /// <summary>
    /// Frames a message for sending: the whole message, or for a payload of <see cref="SeparatePayloadSize"/> or more
    /// only its header and annotations; the caller then sends the payload itself (true), saving a copy of a bulk payload.
    /// </summary>
    internal static bool WriteForSending(IBufferWriter<byte> output, MessageType type, MessageFlags flags, ushort sequence, ushort serializerId,
        ReadOnlySpan<byte> payload, IReadOnlyList<Annotation> all, MessageSecurity security)
    {
        bool separate = payload.Length >= SeparatePayloadSize;
        Write(output, type, flags, sequence, serializerId, payload, payload.Length, all, security, includePayload: !separate);
        return separate;
    }

    /// <summary>
    /// Frames only the header and annotations of a message whose <paramref name="payloadLength"/> bytes the caller
    /// sends itself, in pieces (an unsigned message only: a signature needs the payload in one piece).
    /// </summary>
    internal static void WriteHeaderOnly(IBufferWriter<byte> output, MessageType type, MessageFlags flags, ushort sequence, ushort serializerId,
        int payloadLength, IReadOnlyList<Annotation> all, MessageSecurity security)
    {
        if (security.HmacKey is not null) throw new InvalidOperationException("a signed message needs its payload in one piece");
        Write(output, type, flags, sequence, serializerId, default, payloadLength, all, security, includePayload: false);
    }

    private static void Write(IBufferWriter<byte> output, MessageType type, MessageFlags flags, ushort sequence, ushort serializerId,
        ReadOnlySpan<byte> payload, int payloadLength, IReadOnlyList<Annotation> all, MessageSecurity security, bool includePayload)
    {
        int annotationsSize = 0;
        for (int i = 0; i < all.Count; i++)
        {
            var a = all[i];
            Annotation.ValidateKey(a.Key);
            if (a.Key == Annotation.Hmac) throw new ArgumentException("the HMAC annotation is added by the codec", "message");
            if (a.Value.Length > Annotation.MaxSize) throw new ProtocolException($"annotation {a.Key} is {a.Value.Length} bytes; the limit is {Annotation.MaxSize}");
            annotationsSize += 6 + a.Value.Length;
        }
        bool sign = security.HmacKey is not null;
        if (sign) annotationsSize += 6 + MessageHmac.Length;
        if (annotationsSize > Annotation.MaxSize) throw new ProtocolException($"annotations total {annotationsSize} bytes; the limit is {Annotation.MaxSize}");
        long size = (long)payloadLength + annotationsSize;
        if (security.MaxMessageSize > 0 && size > security.MaxMessageSize)
            throw new MessageTooLargeException($"max message size exceeded ({size} where max={security.MaxMessageSize})");

        int total = MessageHeader.Size + annotationsSize + (includePayload ? payload.Length : 0);
        var span = output.GetSpan(total)[..total];
        new MessageHeader(type, flags, sequence, payloadLength, serializerId, (ushort)annotationsSize).Write(span);
        int pos = MessageHeader.Size;
        for (int i = 0; i < all.Count; i++) pos = WriteChunk(span, pos, all[i].Key, all[i].Value.Span);
        if (sign)
        {
            Encoding.ASCII.GetBytes(Annotation.Hmac, span.Slice(pos, 4));
            BinaryPrimitives.WriteUInt16BigEndian(span[(pos + 4)..], MessageHmac.Length);
            MessageHmac.Compute(security.HmacKey, payload, all, span.Slice(pos + 6, MessageHmac.Length));
            pos += 6 + MessageHmac.Length;
        }
        if (includePayload) payload.CopyTo(span[pos..]);
        output.Advance(total);
    }

    /// <summary>Frames a message into a new array.</summary>
    public static byte[] ToBytes(PyroMessage message, MessageSecurity security)
    {
        var buffer = new ArrayBufferWriter<byte>(MessageHeader.Size + message.Payload.Length + 64);
        Write(buffer, message, security);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Writes one annotation chunk (key, length, value) at <paramref name="pos"/>; returns the position after it.</summary>
    internal static int WriteChunk(Span<byte> span, int pos, string key, ReadOnlySpan<byte> value)
    {
        Encoding.ASCII.GetBytes(key, span.Slice(pos, 4));
        BinaryPrimitives.WriteUInt16BigEndian(span[(pos + 4)..], (ushort)value.Length);
        value.CopyTo(span[(pos + 6)..]);
        return pos + 6 + value.Length;
    }

    /// <summary>
    /// Reads one message, following Pyro4's receiving order: header, validity, size limit (before any buffer is
    /// allocated), expected type (before the rest is read), annotations and payload, then HMAC verification.
    /// </summary>
    /// <param name="stream">The connection.</param>
    /// <param name="acceptedTypes">Mask from <see cref="Accept"/>.</param>
    /// <param name="security">Key and size limit.</param>
    /// <param name="cancellationToken">Cancels the read; the stream is then in an undefined state and must be closed.</param>
    /// <exception cref="ConnectionClosedException">The stream ended before a whole message arrived.</exception>
    /// <exception cref="ProtocolException">Bad header or an unexpected message type.</exception>
    /// <exception cref="MessageTooLargeException">The announced size exceeds MAX_MESSAGE_SIZE.</exception>
    /// <exception cref="PyroSecurityException">HMAC mismatch, or only one side has a key.</exception>
    public static ValueTask<PyroMessage> ReadAsync(Stream stream, uint acceptedTypes, MessageSecurity security, CancellationToken cancellationToken = default)
        => ReadAsync(stream, new byte[MessageHeader.Size], acceptedTypes, security, cancellationToken);

    /// <summary>
    /// <see cref="ReadAsync(Stream, uint, MessageSecurity, CancellationToken)"/> with a caller-owned 24-byte header buffer,
    /// so that a connection reading message after message allocates no header array per message.
    /// </summary>
    public static async ValueTask<PyroMessage> ReadAsync(Stream stream, byte[] headerBuffer, uint acceptedTypes, MessageSecurity security, CancellationToken cancellationToken = default)
    {
        if (headerBuffer.Length < MessageHeader.Size) throw new ArgumentException("the header buffer must hold 24 bytes", nameof(headerBuffer));
        await ReadExactAsync(stream, headerBuffer.AsMemory(0, MessageHeader.Size), cancellationToken).ConfigureAwait(false);
        var header = MessageHeader.Parse(headerBuffer);
        return await ReadBodyAsync(stream, header, acceptedTypes, security, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The part of <see cref="ReadAsync(Stream, uint, MessageSecurity, CancellationToken)"/> after the header (for callers that inspect the header first).</summary>
    public static async ValueTask<PyroMessage> ReadBodyAsync(Stream stream, MessageHeader header, uint acceptedTypes, MessageSecurity security, CancellationToken cancellationToken = default)
    {
        Validate(header, acceptedTypes, security);
        long size = (long)header.DataSize + header.AnnotationsSize;
        // The body's array grows as its bytes arrive: a header alone must not make the receiver allocate gigabytes.
        var body = new byte[Math.Min(size, GrowingReadStep)];
        await ReadExactAsync(stream, body, cancellationToken).ConfigureAwait(false);
        while (body.Length < size)
        {
            int have = body.Length;
            Array.Resize(ref body, (int)Math.Min(size, 2L * have));
            await ReadExactAsync(stream, body.AsMemory(have), cancellationToken).ConfigureAwait(false);
        }
        return Decode(header, body, security);
    }

    private const int GrowingReadStep = 1 << 20;

    /// <summary>The checks made on a header before the rest of its message is read: size limit, then type.</summary>
    internal static void Validate(MessageHeader header, uint acceptedTypes, MessageSecurity security)
    {
        long size = (long)header.DataSize + header.AnnotationsSize;
        if (security.MaxMessageSize > 0 && size > security.MaxMessageSize)
            throw new MessageTooLargeException($"max message size exceeded ({size} where max={security.MaxMessageSize})");
        // Without a limit, still no more than one array can hold.
        if (size > Array.MaxLength) throw new MessageTooLargeException($"message of {size} bytes is larger than an array can hold");
        if ((ushort)header.Type > 31 || (acceptedTypes & (1u << (int)header.Type)) == 0)
            throw new ProtocolException($"invalid msg type {(ushort)header.Type} received");
    }

    /// <summary>Decodes annotations and payload from a fully received body and verifies the HMAC.</summary>
    public static PyroMessage Decode(MessageHeader header, byte[] body, MessageSecurity security)
        => Decode(header, body.AsMemory(), security);

    /// <summary>
    /// Decodes a body that may live in a reused buffer: the message points into it. With <paramref name="refill"/>,
    /// that message is refilled instead of a new one made (see <see cref="PyroMessage.Refill"/>).
    /// </summary>
    internal static PyroMessage Decode(MessageHeader header, ReadOnlyMemory<byte> body, MessageSecurity security, PyroMessage? refill = null)
    {
        var annotations = ParseAnnotations(body[..header.AnnotationsSize]);
        var payload = body.Slice(header.AnnotationsSize, header.DataSize);
        var message = refill ?? new PyroMessage(header.Type, header.Flags, header.Sequence, header.SerializerId, payload, annotations);
        refill?.Refill(header.Type, header.Flags, header.Sequence, header.SerializerId, payload, annotations);
        VerifyHmac(message, security.HmacKey);
        return message;
    }

    /// <summary>Checks a received message's signature against the receiver's key, as Pyro4 does.</summary>
    /// <exception cref="PyroSecurityException">Mismatch, or exactly one of "signed" / "receiver has a key".</exception>
    public static void VerifyHmac(PyroMessage message, byte[]? key)
    {
        bool signed = message.TryGetAnnotation(Annotation.Hmac, out var signature);
        if (signed != key is not null) throw new PyroSecurityException("hmac key config not symmetric");
        if (signed && !MessageHmac.Verify(key, message.Payload.Span, message.Annotations, signature.Span))
            throw new PyroSecurityException("message hmac mismatch");
    }

    /// <summary>Parses an annotations block; the values are slices of <paramref name="block"/>.</summary>
    internal static IReadOnlyList<Annotation> ParseAnnotations(ReadOnlyMemory<byte> block)
    {
        if (block.IsEmpty) return [];
        var span = block.Span;
        // Two passes: validate and count, then fill an array of exactly that size.
        int count = 0;
        for (int pos = 0; pos < span.Length; count++)
        {
            if (span.Length - pos < 6) throw new ProtocolException("truncated annotation chunk");
            if (!System.Text.Ascii.IsValid(span.Slice(pos, 4))) throw new ProtocolException("annotation key is not ASCII");
            int length = BinaryPrimitives.ReadUInt16BigEndian(span[(pos + 4)..]);
            if (pos + 6 + length > span.Length) throw new ProtocolException("annotation chunk overruns the annotations block");
            pos += 6 + length;
        }
        var annotations = new Annotation[count];
        for (int i = 0, pos = 0; i < count; i++)
        {
            int length = BinaryPrimitives.ReadUInt16BigEndian(span[(pos + 4)..]);
            annotations[i] = new Annotation(AnnotationKeyCache.Get(span.Slice(pos, 4)), block.Slice(pos + 6, length));
            pos += 6 + length;
        }
        return annotations;
    }

    private static async ValueTask ReadExactAsync(Stream stream, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        int read = 0;
        while (read < buffer.Length)
        {
            int n = await stream.ReadAsync(buffer[read..], cancellationToken).ConfigureAwait(false);
            if (n == 0) throw new ConnectionClosedException(read == 0 && buffer.Length == MessageHeader.Size ? "receiving: connection lost" : "receiving: not enough data");
            read += n;
        }
    }
}
