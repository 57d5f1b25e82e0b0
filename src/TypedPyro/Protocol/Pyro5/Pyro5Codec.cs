using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace TypedPyro.Protocol;

/// <summary>
/// Writes and reads whole Pyro5 (protocol 502) messages, translating to and from the <see cref="PyroMessage"/> model
/// that <see cref="MessageCodec"/> uses for Pyro4: the header's correlation id (FLAGS_CORR_ID) is the model's CORR
/// annotation, flags and serializer ids are mapped (<see cref="Pyro5Wire"/>). Annotation chunks have 4-byte lengths;
/// there is no HMAC (Pyro5 leaves that to TLS). Stateless and thread-safe.
/// </summary>
internal static class Pyro5Codec
{
    /// <summary>The size limit Pyro5 applies: the configured MAX_MESSAGE_SIZE, or Pyro5's default 1 GiB when none is set.</summary>
    public static long MaxMessageSize(MessageSecurity security)
        => Math.Min(security.MaxMessageSize > 0 ? security.MaxMessageSize : Pyro5Wire.DefaultMaxMessageSize, Array.MaxLength);

    /// <summary>Frames a message into <paramref name="output"/>: header, annotation chunks, payload.</summary>
    /// <exception cref="ArgumentException">An annotation key is not 4 ASCII characters.</exception>
    /// <exception cref="MessageTooLargeException">Payload plus annotations exceed the limit.</exception>
    public static void Write(IBufferWriter<byte> output, MessageType type, MessageFlags flags, ushort sequence, ushort serializerId,
        ReadOnlySpan<byte> payload, IReadOnlyList<Annotation> annotations, MessageSecurity security)
    {
        var header = BuildHeader(type, flags, sequence, serializerId, payload.Length, annotations, security, out int corrIndex);
        int total = Pyro5Header.Size + (int)header.AnnotationsSize + payload.Length;
        var span = output.GetSpan(total)[..total];
        header.Write(span);
        int pos = Pyro5Header.Size;
        for (int i = 0; i < annotations.Count; i++)
        {
            if (i == corrIndex) continue;
            var a = annotations[i];
            Encoding.ASCII.GetBytes(a.Key, span.Slice(pos, 4));
            BinaryPrimitives.WriteUInt32BigEndian(span[(pos + 4)..], (uint)a.Value.Length);
            a.Value.Span.CopyTo(span[(pos + 8)..]);
            pos += 8 + a.Value.Length;
        }
        payload.CopyTo(span[pos..]);
        output.Advance(total);
    }

    /// <summary>Frames a message into a new array.</summary>
    public static byte[] ToBytes(PyroMessage message, MessageSecurity security)
    {
        var buffer = new ArrayBufferWriter<byte>(Pyro5Header.Size + message.Payload.Length + 64);
        Write(buffer, message.Type, message.Flags, message.Sequence, message.SerializerId, message.Payload.Span, message.Annotations, security);
        return buffer.WrittenSpan.ToArray();
    }

    private static Pyro5Header BuildHeader(MessageType type, MessageFlags flags, ushort sequence, ushort serializerId, int payloadLength,
        IReadOnlyList<Annotation> annotations, MessageSecurity security, out int corrIndex)
    {
        corrIndex = -1;
        long annotationsSize = 0;
        for (int i = 0; i < annotations.Count; i++)
        {
            var a = annotations[i];
            Annotation.ValidateKey(a.Key);
            // The first CORR goes into the header, where Pyro5 carries the correlation id.
            if (corrIndex < 0 && a.Key == Annotation.Correlation && a.Value.Length == 16)
            {
                corrIndex = i;
                continue;
            }
            annotationsSize += 8 + a.Value.Length;
        }
        long size = payloadLength + annotationsSize;
        long max = MaxMessageSize(security);
        if (size > max) throw new MessageTooLargeException($"message too large ({size:D}, max={max:D})");
        ushort wireFlags = Pyro5Wire.ToWireFlags(flags);
        var correlation = Guid.Empty;
        if (corrIndex >= 0)
        {
            wireFlags |= Pyro5Wire.CorrelationFlag;
            correlation = new Guid(annotations[corrIndex].Value.Span, bigEndian: true);
        }
        if ((ushort)type > byte.MaxValue) throw new ProtocolException($"message type {(ushort)type} has no Pyro5 form");
        return new Pyro5Header((byte)type, Pyro5Wire.ToWireSerializer(serializerId), wireFlags, sequence, (uint)payloadLength, (uint)annotationsSize, correlation);
    }

    /// <summary>
    /// Decodes the body after a header into the model message; annotation values and payload are slices of
    /// <paramref name="body"/>. With <paramref name="refill"/>, that message is refilled instead of a new one made.
    /// </summary>
    /// <exception cref="ProtocolException">The annotation chunks do not fit the annotations block.</exception>
    public static PyroMessage Decode(Pyro5Header header, ReadOnlyMemory<byte> body, PyroMessage? refill = null)
    {
        var annotations = ParseAnnotations(body[..(int)header.AnnotationsSize], header);
        var payload = body.Slice((int)header.AnnotationsSize, (int)header.DataSize);
        var type = (MessageType)header.Type;
        var flags = Pyro5Wire.FromWireFlags(header.Flags);
        ushort serializer = Pyro5Wire.FromWireSerializer(header.SerializerId);
        if (refill is null) return new PyroMessage(type, flags, header.Sequence, serializer, payload, annotations);
        refill.Refill(type, flags, header.Sequence, serializer, payload, annotations);
        return refill;
    }

    /// <summary>Pyro5's message type check, with its text (<c>recv_stub</c>).</summary>
    /// <exception cref="ProtocolException">The type is not in <paramref name="acceptedTypes"/>.</exception>
    public static void CheckType(Pyro5Header header, uint acceptedTypes)
    {
        if (header.Type > 31 || (acceptedTypes & (1u << header.Type)) == 0)
            throw new ProtocolException($"invalid msg type {header.Type} received (expected: {Expected(acceptedTypes)})");
    }

    private static string Expected(uint acceptedTypes)
    {
        var types = new List<string>();
        for (int t = 0; t < 32; t++)
        {
            if ((acceptedTypes & (1u << t)) != 0) types.Add(t.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        return string.Join(",", types);
    }

    private static IReadOnlyList<Annotation> ParseAnnotations(ReadOnlyMemory<byte> block, Pyro5Header header)
    {
        bool hasCorrelation = (header.Flags & Pyro5Wire.CorrelationFlag) != 0;
        if (block.IsEmpty && !hasCorrelation) return [];
        var list = new List<Annotation>(hasCorrelation ? 2 : 1);
        if (hasCorrelation) list.Add(new Annotation(Annotation.Correlation, CorrelationId.ToBytes(header.CorrelationId)));
        var span = block.Span;
        for (int pos = 0; pos < span.Length;)
        {
            if (span.Length - pos < 8) throw new ProtocolException("annotation chunk length exceeds remaining data");
            if (!Ascii.IsValid(span.Slice(pos, 4))) throw new ProtocolException("annotation key is not ASCII");
            uint length = BinaryPrimitives.ReadUInt32BigEndian(span[(pos + 4)..]);
            if (length > (uint)(span.Length - pos - 8)) throw new ProtocolException("annotation chunk length exceeds remaining data");
            list.Add(new Annotation(AnnotationKeyCache.Get(span.Slice(pos, 4)), block.Slice(pos + 8, (int)length)));
            pos += 8 + (int)length;
        }
        return list;
    }

    /// <summary>
    /// Reads one message from a stream, checking as Pyro5 does: tag and version on the first 6 bytes, then magic and
    /// size limit, then the type, before the body is read.
    /// </summary>
    /// <exception cref="ConnectionClosedException">The stream ended before a whole message arrived.</exception>
    /// <exception cref="ProtocolException">A bad header, an unexpected type, or (as <see cref="MessageTooLargeException"/>) an oversize claim.</exception>
    public static async ValueTask<PyroMessage> ReadAsync(Stream stream, uint acceptedTypes, MessageSecurity security, CancellationToken cancellationToken = default)
    {
        var headerBytes = new byte[Pyro5Header.Size];
        await ReadExactAsync(stream, headerBytes.AsMemory(0, Pyro5Header.PrefixSize), cancellationToken).ConfigureAwait(false);
        Pyro5Header.CheckPrefix(headerBytes.AsSpan(0, Pyro5Header.PrefixSize));
        await ReadExactAsync(stream, headerBytes.AsMemory(Pyro5Header.PrefixSize), cancellationToken).ConfigureAwait(false);
        var header = Pyro5Header.Parse(headerBytes, MaxMessageSize(security));
        CheckType(header, acceptedTypes);
        // The body's array grows as its bytes arrive: a header alone must not make the receiver allocate a gigabyte.
        long size = header.BodySize;
        var body = new byte[Math.Min(size, GrowingReadStep)];
        await ReadExactAsync(stream, body, cancellationToken).ConfigureAwait(false);
        while (body.Length < size)
        {
            int have = body.Length;
            Array.Resize(ref body, (int)Math.Min(size, 2L * have));
            await ReadExactAsync(stream, body.AsMemory(have), cancellationToken).ConfigureAwait(false);
        }
        return Decode(header, body);
    }

    private const int GrowingReadStep = 1 << 20;

    private static async ValueTask ReadExactAsync(Stream stream, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        int read = 0;
        while (read < buffer.Length)
        {
            int n = await stream.ReadAsync(buffer[read..], cancellationToken).ConfigureAwait(false);
            if (n == 0) throw new ConnectionClosedException(read == 0 ? "receiving: connection lost" : "receiving: not enough data");
            read += n;
        }
    }
}
