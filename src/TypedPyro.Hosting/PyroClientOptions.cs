using TypedPyro.Serialization;

namespace TypedPyro.Hosting;

/// <summary>
/// A DI-made proxy's settings. Configuration (NS_HOST and NS_PORT for <c>PYRONAME:</c>, COMMTIMEOUT, ...) and the
/// HMAC key come from the bound <see cref="PyroHostingOptions"/> unless set here.
/// </summary>
public sealed class PyroClientOptions
{
    /// <summary>The serializer, or null for SERIALIZER.</summary>
    public SerializerId? Serializer { get; set; }

    /// <summary>The call timeout, or null for COMMTIMEOUT.</summary>
    public TimeSpan? Timeout { get; set; }

    /// <summary>Send calls without waiting for earlier replies (see <see cref="PyroProxyOptions.Pipelining"/>).</summary>
    public bool Pipelining { get; set; }

    /// <summary>An HMAC key for this proxy (UTF-8) instead of the hosting options' key.</summary>
    public string? HmacKey { get; set; }

    /// <summary>Changes to this proxy's copy of the configuration.</summary>
    public Action<PyroConfig>? Configure { get; set; }

    internal PyroProxyOptions ToProxyOptions(PyroHostingOptions hosting)
    {
        var config = hosting.BuildConfig();
        Configure?.Invoke(config);
        return new PyroProxyOptions
        {
            Config = config,
            Serializer = Serializer,
            Timeout = Timeout,
            Pipelining = Pipelining,
            HmacKey = HmacKey is { Length: > 0 } key ? System.Text.Encoding.UTF8.GetBytes(key) : hosting.GetHmacKey(),
        };
    }
}
