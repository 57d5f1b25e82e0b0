using System.Net;
using TypedPyro.Protocol;
using TypedPyro.Serialization;

namespace TypedPyro;

/// <summary>
/// What server code can know about the call it is serving (Python's <c>Pyro4.current_context</c> on the daemon
/// side). <see cref="Current"/> flows with the async call, so it is right inside awaits and in code the call starts.
/// </summary>
public sealed class PyroCallContext
{
    private static readonly AsyncLocal<PyroCallContext?> CurrentContext = new();

    internal PyroCallContext(PyroClientConnection? client, ushort sequence, MessageFlags flags, SerializerId serializer, IReadOnlyList<Annotation> annotations, Guid? correlationId)
    {
        Client = client;
        Begin(sequence, flags, serializer, annotations, correlationId);
    }

    /// <summary>
    /// Makes this context describe the next call on its connection. A connection serves one call at a time and reuses
    /// its context (as Python's thread-local <c>current_context</c> is reused), which saves an allocation per call.
    /// </summary>
    internal void Begin(ushort sequence, MessageFlags flags, SerializerId serializer, IReadOnlyList<Annotation> annotations, Guid? correlationId)
    {
        Sequence = sequence;
        Flags = flags;
        Serializer = serializer;
        Annotations = annotations;
        _correlationId = correlationId;
        _responseAnnotations?.Clear();
    }

    private AnnotationDictionary? _responseAnnotations;

    /// <summary>True when server code set response annotations (without creating the dictionary to find out).</summary>
    internal bool HasResponseAnnotations => _responseAnnotations is { Count: > 0 };

    /// <summary>The context of the call being served on this async flow, or null outside a call.</summary>
    public static PyroCallContext? Current
    {
        get => CurrentContext.Value;
        internal set => CurrentContext.Value = value;
    }

    /// <summary>The client connection (null for calls that did not arrive over a connection).</summary>
    public PyroClientConnection? Client { get; }

    /// <summary>The client's address, captured when the call arrived (valid for oneway calls too).</summary>
    public EndPoint? ClientAddress => Client?.RemoteEndPoint;

    /// <summary>The request's sequence number.</summary>
    public ushort Sequence { get; private set; }

    /// <summary>The request's flags.</summary>
    public MessageFlags Flags { get; private set; }

    /// <summary>The serializer the client used.</summary>
    public SerializerId Serializer { get; private set; }

    /// <summary>The request's annotations, including CORR and HMAC when present.</summary>
    public IReadOnlyList<Annotation> Annotations { get; private set; } = [];

    /// <summary>
    /// The correlation id: the request's CORR, or a random one when the client sent none (as Python's uuid4; made when
    /// first needed, which for a oneway call nobody asks about is never).
    /// </summary>
    public Guid CorrelationId => _correlationId ??= Protocol.CorrelationId.NewRandom();

    private Guid? _correlationId;

    /// <summary>Cancelled when the daemon shuts down (Pyro4 has no message to cancel a single call).</summary>
    public CancellationToken CancellationToken { get; internal init; }

    /// <summary>
    /// Annotations the method wants sent back with its (non-exception) reply. Keys are 4 ASCII characters; Pyro's
    /// own keys (CORR, HMAC, STRM, BLBI) are refused.
    /// </summary>
    public IDictionary<string, byte[]> ResponseAnnotations => _responseAnnotations ??= new AnnotationDictionary();

    /// <summary>The request's user annotations (without Pyro's own CORR/HMAC/STRM/BLBI), by key.</summary>
    public IReadOnlyDictionary<string, ReadOnlyMemory<byte>> UserAnnotations
        => Annotations.Where(a => !Annotation.IsReserved(a.Key)).ToDictionary(a => a.Key, a => a.Value, StringComparer.Ordinal);
}
