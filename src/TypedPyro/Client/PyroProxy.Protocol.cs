using TypedPyro.Protocol;
using TypedPyro.Serialization;

namespace TypedPyro;

/// <summary>The proxy's framing: Pyro4's <see cref="MessageCodec"/> or, with <see cref="PyroProxyOptions.Protocol"/> 5, Pyro5's.</summary>
public sealed partial class PyroProxy
{
    /// <summary>The protocol this proxy speaks: 4 (Pyro4, protocol 48) or 5 (Pyro5, protocol 502).</summary>
    public int Protocol => _pyro5 ? 5 : 4;

    private static bool UsesPyro5(PyroProxyOptions options)
    {
        if (options.Protocol is not (4 or 5)) throw new ArgumentOutOfRangeException(nameof(options), options.Protocol, "Protocol must be 4 (Pyro4) or 5 (Pyro5)");
        if (options.Protocol == 5 && options.HmacKey is not null)
            throw new ArgumentException("Pyro5 has no HMAC signing (it leaves authentication to TLS): HmacKey cannot be used with Protocol 5", nameof(options));
        return options.Protocol == 5;
    }

    /// <summary>The serializer of a reply's model id, in this proxy's protocol's form.</summary>
    private PyroSerializer? FindSerializer(ushort id) => _pyro5 ? Pyro5Serializers.Find(id) : PyroSerializers.Find(id);

    /// <summary>Frames <paramref name="message"/> into the frame buffer.</summary>
    private void WriteFrame(PyroMessage message)
    {
        if (_pyro5) Pyro5Codec.Write(_frame, message.Type, message.Flags, message.Sequence, message.SerializerId, message.Payload.Span, message.Annotations, _security);
        else MessageCodec.Write(_frame, message, _security);
    }

    /// <summary>
    /// Frames a request for sending; true when the caller sends the payload itself after the frame (a Pyro4 bulk
    /// payload; a Pyro5 frame is always whole).
    /// </summary>
    private bool WriteFrameForSending(MessageType type, MessageFlags flags, ushort sequence, ReadOnlySpan<byte> payload, IReadOnlyList<Annotation> annotations)
    {
        if (!_pyro5) return MessageCodec.WriteForSending(_frame, type, flags, sequence, (ushort)Serializer.Id, payload, annotations, _security);
        Pyro5Codec.Write(_frame, type, flags, sequence, (ushort)Serializer.Id, payload, annotations, _security);
        return false;
    }
}
