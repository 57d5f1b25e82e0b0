using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using TypedPyro.Transport;

namespace TypedPyro;

/// <summary>TLS on the proxy's connections (config SSL or <see cref="PyroProxyOptions.Tls"/>).</summary>
public sealed partial class PyroProxy
{
    private readonly TlsClient? _tls;
    private Socket? _tlsSocket; // under the TLS stream, whose inner stream is not public: blocking timeouts are set on it

    private Socket? TlsSocket => _stream is SslStream ? _tlsSocket : null;

    /// <summary>
    /// The daemon's certificate on a TLS connection, null otherwise (Python's <c>_pyroConnection.getpeercert()</c>):
    /// read it in <see cref="PyroProxyOptions.ValidateHandshake"/> to accept a server by its certificate.
    /// </summary>
    public X509Certificate2? PeerCertificate => (_stream as SslStream)?.RemoteCertificate as X509Certificate2;

    /// <summary>Runs the TLS handshake on a new connection when TLS is on; otherwise returns it unchanged.</summary>
    private async ValueTask<Stream> SecureAsync(NetworkStream connection, PyroUri target, string location, bool blocking, CancellationToken token)
    {
        if (_tls is null) return connection;
        if (target.Host is not { } host)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw new CommunicationException($"cannot connect to {location}: SSL is not supported over Unix domain sockets");
        }
        _tlsSocket = connection.Socket;
        if (blocking && HasTimeout)
        {
            // The handshake's blocking reads keep the proxy's timeout too (StartSocketTimeouts sets the same values later).
            int ms = (int)Math.Min(int.MaxValue, Math.Ceiling(Timeout.TotalMilliseconds));
            connection.Socket.ReceiveTimeout = ms;
            connection.Socket.SendTimeout = ms;
        }
        try
        {
            return await _tls.AuthenticateAsync(connection, host, location, blocking, token).ConfigureAwait(false);
        }
        catch (IOException e) when (IsSocketTimeout(e))
        {
            throw new PyroTimeoutException($"cannot connect to {location}: timeout", e);
        }
    }
}
