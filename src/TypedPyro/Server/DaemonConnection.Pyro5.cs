using TypedPyro.Protocol;
using TypedPyro.Serialization;

namespace TypedPyro;

/// <summary>
/// Pyro5 clients on the same port: the protocol a connection speaks is decided once, from its first header's
/// version, and from then on only the framing (<see cref="Pyro5Codec"/>) and the serializers' class names
/// (<see cref="Pyro5Serializers"/>) differ. A Pyro4 connection pays one test of <see cref="_pyro5"/> per message.
/// </summary>
internal sealed partial class DaemonConnection
{
    private bool _pyro5;

    /// <summary>True when this connection speaks Pyro5 (protocol 502).</summary>
    public bool IsPyro5 => _pyro5;

    /// <summary>
    /// Waits for the first 6 bytes and switches to Pyro5 when the version is in Pyro5's range (500 and up: a 5xx
    /// client gets Pyro5's own "invalid protocol version" refusal). Anything else, garbage included, is Pyro4's to
    /// answer. Returns false when the client went away first.
    /// </summary>
    private async ValueTask<bool> DetectProtocolAsync()
    {
        int version;
        try
        {
            var timeout = _daemon.Config.CommTimeout;
            using var cts = CancellationTokenSource.CreateLinkedTokenSource(_daemon.ReadToken);
            if (timeout > TimeSpan.Zero) cts.CancelAfter(timeout);
            version = await _reader.PeekVersionAsync(cts.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is ConnectionClosedException or OperationCanceledException or IOException)
        {
            return false;
        }
        if (version >= 500)
        {
            _pyro5 = true;
            Client.Protocol = 5;
            _reader.UsePyro5();
        }
        return true;
    }

    /// <summary>The serializer for a model id in this connection's protocol's form.</summary>
    private PyroSerializer? FindSerializer(ushort id) => _pyro5 ? Pyro5Serializers.Find(id) : PyroSerializers.Find(id);

    private bool RefusePyro5Serializer(ushort id)
    {
        DaemonLog.ProtocolViolation(_daemon.Logger, Client, $"unknown serializer id {id}");
        return false;
    }

    /// <summary>A daemon that signs its messages cannot serve Pyro5, which has no HMAC: it refuses, in the handshake.</summary>
    private void CheckPyro5Allowed()
    {
        if (Security.HmacKey is not null)
            throw new PyroSecurityException("this daemon requires an HMAC key, which Pyro5 does not have (use TLS): Pyro5 clients are refused");
    }

    /// <summary>
    /// Frames a message into <see cref="_frame"/>; true when the caller sends the payload itself after it (a Pyro4 bulk
    /// payload). Every Pyro5 reply carries a correlation id, as Python's daemon sends (the call's, or a new one).
    /// </summary>
    private bool WriteFrameForSending(MessageType type, MessageFlags flags, ushort sequence, ushort serializerId, ReadOnlySpan<byte> payload, IReadOnlyList<Annotation> annotations)
    {
        if (!_pyro5) return MessageCodec.WriteForSending(_frame, type, flags, sequence, serializerId, payload, annotations, Security);
        if (!HasCorrelation(annotations))
            annotations = [.. annotations, CorrelationAnnotation(_context?.CorrelationId ?? CorrelationId.NewRandom())];
        Pyro5Codec.Write(_frame, type, flags, sequence, serializerId, payload, annotations, Security);
        return false;
    }

    private static bool HasCorrelation(IReadOnlyList<Annotation> annotations)
    {
        for (int i = 0; i < annotations.Count; i++)
        {
            if (annotations[i].Key == Annotation.Correlation) return true;
        }
        return false;
    }
}
