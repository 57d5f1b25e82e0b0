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

    internal PyroCallContext(PyroClientConnection? client, ushort sequence, MessageFlags flags, SerializerId serializer, IReadOnlyList<Annotation> annotations, Guid correlationId)
    {
        Client = client;
        Sequence = sequence;
        Flags = flags;
        Serializer = serializer;
        Annotations = annotations;
        CorrelationId = correlationId;
    }

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
    public ushort Sequence { get; }

    /// <summary>The request's flags.</summary>
    public MessageFlags Flags { get; }

    /// <summary>The serializer the client used.</summary>
    public SerializerId Serializer { get; }

    /// <summary>The request's annotations, including CORR and HMAC when present.</summary>
    public IReadOnlyList<Annotation> Annotations { get; }

    /// <summary>The correlation id: the request's CORR, or a new random one when the client sent none.</summary>
    public Guid CorrelationId { get; }

    /// <summary>Cancelled when the daemon shuts down (Pyro4 has no message to cancel a single call).</summary>
    public CancellationToken CancellationToken { get; internal init; }

    /// <summary>
    /// Annotations the method wants sent back with its (non-exception) reply. Keys are 4 ASCII characters; Pyro's
    /// own keys (CORR, HMAC, STRM, BLBI) are refused.
    /// </summary>
    public IDictionary<string, byte[]> ResponseAnnotations { get; } = new AnnotationDictionary();

    /// <summary>The request's user annotations (without Pyro's own CORR/HMAC/STRM/BLBI), by key.</summary>
    public IReadOnlyDictionary<string, ReadOnlyMemory<byte>> UserAnnotations
        => Annotations.Where(a => !Annotation.IsReserved(a.Key)).ToDictionary(a => a.Key, a => a.Value, StringComparer.Ordinal);
}
