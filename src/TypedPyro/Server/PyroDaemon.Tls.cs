using System.Net;
using System.Net.Sockets;
using TypedPyro.Transport;

namespace TypedPyro;

/// <summary>TLS on the daemon's connections (config SSL or <see cref="PyroDaemonOptions.Tls"/>).</summary>
public sealed partial class PyroDaemon
{
    // Python's daemon waits for a TLS handshake without a limit (in its accept loop); ours runs it per connection
    // and gives a silent client COMMTIMEOUT, or this when there is none, so that it cannot hold a socket for ever.
    private static readonly TimeSpan DefaultTlsHandshakeTimeout = TimeSpan.FromSeconds(30);

    private TlsServer? _tls;

    /// <summary>True when connections are served over TLS.</summary>
    public bool UsesTls => _tls is not null;

    private void SetUpTls(PyroDaemonOptions options)
    {
        _tls = TlsServer.Create(Config, options.Tls);
        if (_tls is not null && options.UnixSocket is not null) throw new ArgumentException("SSL is not supported over Unix domain sockets", nameof(options));
    }

    /// <summary>Authenticates an accepted socket, then serves it; a client refused by TLS is logged and closed.</summary>
    private async Task AcceptTlsAsync(Socket client)
    {
        EndPoint? remote;
        try { remote = client.RemoteEndPoint; } catch (SocketException) { remote = null; }
        System.Net.Security.SslStream tls;
        using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(ShutdownToken))
        {
            timeout.CancelAfter(Config.CommTimeout > TimeSpan.Zero ? Config.CommTimeout : DefaultTlsHandshakeTimeout);
            try
            {
                tls = await _tls!.AuthenticateAsync(new NetworkStream(client, ownsSocket: true), timeout.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is CommunicationException or OperationCanceledException or SocketException or ObjectDisposedException)
            {
                client.Dispose();
                if (!ShutdownToken.IsCancellationRequested) DaemonLog.TlsRefused(Logger, remote?.ToString() ?? "?", e is OperationCanceledException ? "TLS handshake timed out" : e.Message);
                return;
            }
        }
        var connection = new DaemonConnection(this, tls, client, remote, handshake: true);
        connection.Client.PeerCertificate = tls.RemoteCertificate as System.Security.Cryptography.X509Certificates.X509Certificate2;
        _connections[connection.Client.Id] = connection;
        await ServeAsync(connection).ConfigureAwait(false);
    }
}
