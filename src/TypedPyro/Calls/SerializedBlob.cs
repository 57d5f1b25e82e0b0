using TypedPyro.Serialization;

namespace TypedPyro;

/// <summary>
/// Call arguments that stay serialized on their way through a dispatcher (Pyro's <c>SerializedBlob</c> and
/// FLAGS_KEEPSERIALIZED): a routing service receives the blob, looks at its small <see cref="Info"/>, and forwards it
/// to the real receiver without deserializing or re-serializing the payload. Pass a blob as the only argument of a call.
/// </summary>
public sealed class SerializedBlob
{
    private readonly object? _data;

    /// <summary>A blob to send: <paramref name="data"/> is what would otherwise be the call's positional arguments.</summary>
    /// <param name="info">Small routing information (a name, an id); it travels in marshal form, so str/int/float/bool/None or tuples of them.</param>
    /// <param name="data">The arguments: a tuple or list.</param>
    public SerializedBlob(object? info, IReadOnlyList<object?> data)
    {
        Info = info;
        _data = data ?? throw new ArgumentNullException(nameof(data));
    }

    internal SerializedBlob(object? info, ReadOnlyMemory<byte> payload, ushort serializerId, bool compressed)
    {
        Info = info;
        Payload = payload;
        SerializerId = serializerId;
        IsCompressed = compressed;
    }

    /// <summary>The routing information.</summary>
    public object? Info { get; }

    /// <summary>True when this blob arrived from the wire and holds its original serialized payload.</summary>
    public bool ContainsSerializedPayload => SerializerId != 0;

    internal ReadOnlyMemory<byte> Payload { get; }
    internal ushort SerializerId { get; }
    internal bool IsCompressed { get; }
    internal IReadOnlyList<object?>? Arguments => _data as IReadOnlyList<object?>;

    /// <summary>The arguments the blob carries, deserializing the payload when it came from the wire.</summary>
    /// <exception cref="SerializeException">The payload's serializer is not available, or the payload is malformed.</exception>
    public object? Deserialized()
    {
        if (!ContainsSerializedPayload) return _data;
        var serializer = PyroSerializers.Find(SerializerId) ?? throw new SerializeException($"blob serializer {SerializerId} is not supported");
        var bytes = IsCompressed ? Protocol.PayloadCompression.Decompress(Payload.Span) : Payload;
        // The payload is a whole call serialization; its vargs element is the blob's data (as in Python).
        return serializer.Deserialize(bytes.Span) switch
        {
            IReadOnlyList<object?> { Count: 4 } call => call[2],
            System.Collections.IDictionary map when map.Contains("params") => map["params"],
            _ => throw new SerializeException("blob payload is not a call"),
        };
    }
}
