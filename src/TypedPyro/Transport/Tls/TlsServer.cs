using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace TypedPyro.Transport;

/// <summary>
/// A daemon's side of TLS (Python's server context from <c>getSSLcontext</c>): its certificate, the CA certificates
/// that verify clients, and whether a client certificate is demanded. Made once per daemon; each accepted socket is
/// authenticated with <see cref="AuthenticateAsync"/>.
/// </summary>
internal sealed class TlsServer
{
    private readonly SslStreamCertificateContext _certificate;
    private readonly X509Certificate2Collection _trusted;

    private TlsServer(SslStreamCertificateContext certificate, X509Certificate2Collection trusted, bool requireClientCertificate)
    {
        _certificate = certificate;
        _trusted = trusted;
        RequireClientCertificate = requireClientCertificate;
    }

    public bool RequireClientCertificate { get; }

    /// <summary>The daemon's TLS settings, or null when TLS is off (config SSL false and no options).</summary>
    public static TlsServer? Create(PyroConfig config, PyroTlsOptions? options)
    {
        if (options is null && !config.Ssl) return null;
        options ??= new PyroTlsOptions();
        X509Certificate2 certificate;
        var chain = new X509Certificate2Collection();
        if (options.Certificate is { } given)
        {
            if (!given.HasPrivateKey) throw new ArgumentException("the daemon's TLS certificate has no private key", nameof(options));
            certificate = given;
        }
        else
        {
            if (config.SslServerCert.Length == 0)
                throw new PyroException("SSL is on but the daemon has no certificate: set SSL_SERVERCERT (PYRO_SSL_SERVERCERT) or PyroTlsOptions.Certificate");
            (certificate, chain) = TlsCertificateFiles.LoadIdentity(config.SslServerCert, config.SslServerKey, config.SslServerKeyPasswd, "SSL_SERVERCERT");
        }
        var trusted = options.CaCertificates ?? (config.SslCaCerts.Length > 0 ? TlsCertificateFiles.LoadCaCertificates(config.SslCaCerts) : []);
        bool require = options.RequireClientCertificate ?? config.SslRequireClientCert;
        return new TlsServer(SslStreamCertificateContext.Create(certificate, chain, offline: true), trusted, require);
    }

    /// <summary>
    /// Runs the server handshake on an accepted connection.
    /// </summary>
    /// <exception cref="CommunicationException">The client was refused or spoke no TLS (the stream is closed).</exception>
    public async Task<SslStream> AuthenticateAsync(Stream connection, CancellationToken cancellationToken)
    {
        var check = new TlsPeerCheck(_trusted, hostName: null, RequireClientCertificate, TlsPeerCheck.ClientAuth);
        var tls = new SslStream(connection, leaveInnerStreamOpen: false);
        var options = new SslServerAuthenticationOptions
        {
            ServerCertificateContext = _certificate,
            ClientCertificateRequired = RequireClientCertificate,
            EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            RemoteCertificateValidationCallback = check.Validate,
        };
        try
        {
            await tls.AuthenticateAsServerAsync(options, cancellationToken).ConfigureAwait(false);
            return tls;
        }
        catch (Exception e) when (e is AuthenticationException or IOException)
        {
            await tls.DisposeAsync().ConfigureAwait(false);
            throw new CommunicationException("TLS handshake failed: " + (check.Failure ?? e.Message), e);
        }
        catch
        {
            await tls.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}
