namespace TypedPyro.Protocol;

/// <summary>
/// Limits and secrets applied while framing: the HMAC key (null = no signing) and MAX_MESSAGE_SIZE
/// (0 = unlimited; counts payload plus annotations, not the header, as Pyro4 does).
/// </summary>
/// <param name="HmacKey">The shared HMAC key, or null.</param>
/// <param name="MaxMessageSize">The largest payload + annotations size accepted or sent; 0 means no limit.</param>
public sealed record MessageSecurity(byte[]? HmacKey = null, long MaxMessageSize = 0)
{
    /// <summary>No key, no limit.</summary>
    public static MessageSecurity None { get; } = new();
}
