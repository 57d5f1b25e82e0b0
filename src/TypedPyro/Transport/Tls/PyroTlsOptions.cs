using System.Security.Cryptography.X509Certificates;

namespace TypedPyro;

/// <summary>
/// TLS settings given in code, for a <see cref="PyroDaemon"/> (<see cref="PyroDaemonOptions.Tls"/>) or a
/// <see cref="PyroProxy"/> (<see cref="PyroProxyOptions.Tls"/>). Setting it turns TLS on whatever config SSL says;
/// each property left null falls back to its <c>SSL_*</c> configuration item.
/// </summary>
public sealed record PyroTlsOptions
{
    /// <summary>
    /// This side's certificate with its private key: the daemon's server certificate, or the proxy's client
    /// certificate. Null = the PEM files of config SSL_SERVERCERT/SSL_SERVERKEY (daemon) or
    /// SSL_CLIENTCERT/SSL_CLIENTKEY (proxy).
    /// </summary>
    public X509Certificate2? Certificate { get; init; }

    /// <summary>
    /// Certificates trusted to verify the peer, in addition to the system's trusted roots (as Python's
    /// <c>load_verify_locations</c>). Null = the PEM file or folder of config SSL_CACERTS.
    /// </summary>
    public X509Certificate2Collection? CaCertificates { get; init; }

    /// <summary>Daemon only: demand and verify a client certificate (mutual TLS); null = config SSL_REQUIRECLIENTCERT.</summary>
    public bool? RequireClientCertificate { get; init; }

    /// <summary>Proxy only: the name checked against the server's certificate; null = the host of the URI (as Python).</summary>
    public string? TargetHost { get; init; }
}
