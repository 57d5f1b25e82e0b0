using TypedPyro.Serialization;

namespace TypedPyro;

/// <summary>How a <see cref="PyroProxy"/> talks to its object (Python's <c>_pyro*</c> proxy attributes).</summary>
public sealed record PyroProxyOptions
{
    /// <summary>The serializer; null = config SERIALIZER (serpent).</summary>
    public SerializerId? Serializer { get; init; }

    /// <summary>Timeout for connect, send and receive; null = config COMMTIMEOUT; <see cref="Timeout.InfiniteTimeSpan"/> or zero = none.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>Shared HMAC key; null = none.</summary>
    public byte[]? HmacKey { get; init; }

    /// <summary>Data sent in the CONNECT handshake (Python's <c>_pyroHandshake</c>, default <c>"hello"</c>).</summary>
    public object? Handshake { get; init; } = "hello";

    /// <summary>
    /// Inspects the daemon's handshake response (Python's <c>_pyroValidateHandshake</c>); throw to refuse the server.
    /// </summary>
    public Action<object?>? ValidateHandshake { get; init; }

    /// <summary>
    /// Pipelined calls: concurrent calls on this proxy are each sent as soon as they are made, without waiting for the
    /// replies of earlier ones, and the replies (which a Pyro daemon sends in request order) are matched up in order.
    /// Off by default: then calls go one at a time, which is what a single caller wants (no queue, fewest allocations).
    /// Works with Python's daemons as well as ours. Cancelling or timing out one call closes the connection, failing
    /// the other calls in flight on it (Pyro4 has no message to cancel one call).
    /// </summary>
    public bool Pipelining { get; init; }

    /// <summary>
    /// The wire protocol: 4 (Pyro4, protocol 48, the default) or 5 (Pyro5, protocol 502). The same generated proxy works
    /// over both; with 5 there is no HMAC (Pyro5 leaves authentication to TLS), see docs/pyro5.md.
    /// </summary>
    public int Protocol { get; init; } = 4;
    /// <summary>TLS settings in code; setting them turns TLS on. Null = config SSL and the SSL_* items decide.</summary>
    public PyroTlsOptions? Tls { get; init; }

    /// <summary>The Pyro configuration items; null = <see cref="PyroConfig.Default"/>.</summary>
    public PyroConfig? Config { get; init; }
}
