using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace TypedPyro.Transport;

/// <summary>
/// A proxy's side of TLS (Python's client context from <c>getSSLcontext</c>): the server certificate is always
/// verified, against the system roots plus SSL_CACERTS, with the host name of the URI; a client certificate is
/// presented when one is configured.
/// </summary>
internal sealed class TlsClient
{
    private readonly SslStreamCertificateContext? _certificate;
    private readonly X509Certificate2Collection _trusted;
    private readonly string? _targetHost;

    private TlsClient(SslStreamCertificateContext? certificate, X509Certificate2Collection trusted, string? targetHost)
    {
        _certificate = certificate;
        _trusted = trusted;
        _targetHost = targetHost;
    }

    /// <summary>The proxy's TLS settings, or null when TLS is off (config SSL false and no options).</summary>
    public static TlsClient? Create(PyroConfig config, PyroTlsOptions? options)
    {
        if (options is null && !config.Ssl) return null;
        options ??= new PyroTlsOptions();
        SslStreamCertificateContext? context = null;
        if (options.Certificate is { } given)
        {
            if (!given.HasPrivateKey) throw new ArgumentException("the proxy's TLS client certificate has no private key", nameof(options));
            context = SslStreamCertificateContext.Create(given, [], offline: true);
        }
        else if (config.SslClientCert.Length > 0)
        {
            var (certificate, chain) = TlsCertificateFiles.LoadIdentity(config.SslClientCert, config.SslClientKey, config.SslClientKeyPasswd, "SSL_CLIENTCERT");
            context = SslStreamCertificateContext.Create(certificate, chain, offline: true);
        }
        var trusted = options.CaCertificates ?? (config.SslCaCerts.Length > 0 ? TlsCertificateFiles.LoadCaCertificates(config.SslCaCerts) : []);
        return new TlsClient(context, trusted, options.TargetHost);
    }

    /// <summary>
    /// Runs the client handshake over a connected stream; with <paramref name="blocking"/>, by blocking calls only.
    /// </summary>
    /// <exception cref="CommunicationException">The server was refused, refused us, or spoke no TLS (the stream is closed).</exception>
    public async ValueTask<SslStream> AuthenticateAsync(Stream connection, string host, string location, bool blocking, CancellationToken cancellationToken)
    {
        string expected = _targetHost ?? host.Trim('[', ']');
        var check = new TlsPeerCheck(_trusted, expected, certificateRequired: true, TlsPeerCheck.ServerAuth);
        var tls = new SslStream(connection, leaveInnerStreamOpen: false);
        var options = new SslClientAuthenticationOptions
        {
            TargetHost = expected,
            ClientCertificateContext = _certificate,
            EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            RemoteCertificateValidationCallback = check.Validate,
        };
        try
        {
            if (blocking) tls.AuthenticateAsClient(options);
            else await tls.AuthenticateAsClientAsync(options, cancellationToken).ConfigureAwait(false);
            return tls;
        }
        catch (Exception e) when (e is AuthenticationException || (e is IOException && !IsTimeout(e)))
        {
            await tls.DisposeAsync().ConfigureAwait(false);
            throw new CommunicationException($"cannot connect to {location}: TLS handshake failed: {check.Failure ?? e.Message}", e);
        }
        catch
        {
            await tls.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static bool IsTimeout(Exception e)
        => e is IOException { InnerException: System.Net.Sockets.SocketException { SocketErrorCode: System.Net.Sockets.SocketError.TimedOut } };
}
