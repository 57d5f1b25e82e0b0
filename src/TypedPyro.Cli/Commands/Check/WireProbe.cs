using System.Net;
using System.Net.Security;
using System.Net.Sockets;

namespace TypedPyro.Cli.Commands.Check;

/// <summary>What a server answered to the bytes we sent: its first bytes, or why there are none.</summary>
internal sealed record ProbeReply(byte[] Bytes, ProbeOutcome Outcome, string? Detail = null);

/// <summary>How a probe ended.</summary>
internal enum ProbeOutcome
{
    /// <summary>Bytes arrived (the server may have closed after them).</summary>
    Answered,
    /// <summary>The server accepted the connection and closed it without a byte.</summary>
    ClosedSilently,
    /// <summary>The server accepted the connection and sent nothing within the timeout.</summary>
    Silent,
    /// <summary>Nothing listens on the port or socket (connection refused).</summary>
    Refused,
    /// <summary>No connection within the timeout (a firewall dropping packets, a wrong address).</summary>
    ConnectTimeout,
    /// <summary>Another socket error (network unreachable...).</summary>
    Failed,
}

/// <summary>
/// Raw socket probes with a deadline on every step, so that no server, silent or slow, can hang <c>typedpyro check</c>.
/// Each probe opens its own connection: a Pyro daemon drops a connection whose first message it rejects.
/// </summary>
internal static class WireProbe
{
    /// <summary>Bytes read at most: enough for any Pyro header and the start of an error text.</summary>
    private const int MaxReply = 512;

    /// <summary>
    /// Connects to a TCP or Unix socket <paramref name="endPoint"/>, wraps the connection in TLS when
    /// <paramref name="tlsHost"/> (the server name to authenticate) is given, sends <paramref name="request"/> and reads the reply.
    /// </summary>
    public static async Task<ProbeReply> SendAsync(EndPoint endPoint, byte[] request, TimeSpan timeout, string? tlsHost, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        using var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, endPoint is UnixDomainSocketEndPoint ? ProtocolType.Unspecified : ProtocolType.Tcp);
        try
        {
            await socket.ConnectAsync(endPoint, deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new ProbeReply([], ProbeOutcome.ConnectTimeout);
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionRefused)
        {
            return new ProbeReply([], ProbeOutcome.Refused);
        }
        catch (SocketException e)
        {
            return new ProbeReply([], ProbeOutcome.Failed, e.Message);
        }

        await using var network = new NetworkStream(socket, ownsSocket: false);
        Stream stream = network;
        SslStream? ssl = null;
        try
        {
            if (tlsHost is not null)
            {
                ssl = new SslStream(network, leaveInnerStreamOpen: true, AcceptAnyCertificate);
                await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = tlsHost }, deadline.Token).ConfigureAwait(false);
                stream = ssl;
            }
            await stream.WriteAsync(request, deadline.Token).ConfigureAwait(false);
            var buffer = new byte[MaxReply];
            int total = 0;
            // Read until the server closes, the buffer is full, or it pauses after answering (a Pyro reply is one write).
            while (total < buffer.Length)
            {
                int read;
                if (total == 0) read = await stream.ReadAsync(buffer.AsMemory(total), deadline.Token).ConfigureAwait(false);
                else
                {
                    using var pause = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token);
                    pause.CancelAfter(TimeSpan.FromMilliseconds(200));
                    try
                    {
                        read = await stream.ReadAsync(buffer.AsMemory(total), pause.Token).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException) when (!deadline.IsCancellationRequested)
                    {
                        break;
                    }
                }
                if (read == 0) break;
                total += read;
            }
            return total == 0 ? new ProbeReply([], ProbeOutcome.ClosedSilently) : new ProbeReply(buffer[..total], ProbeOutcome.Answered);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new ProbeReply([], ProbeOutcome.Silent);
        }
        catch (Exception e) when (e is IOException or SocketException or System.Security.Authentication.AuthenticationException)
        {
            // A reset after connecting, or a failed TLS handshake: the server closed without a usable answer.
            return new ProbeReply([], ProbeOutcome.ClosedSilently, e.Message);
        }
        finally
        {
            if (ssl is not null) await ssl.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The probe only learns whether the server speaks TLS at all; the certificate is judged later by the real
    /// proxy with the user's PYRO_SSL_* settings.
    /// </summary>
    private static bool AcceptAnyCertificate(object sender, System.Security.Cryptography.X509Certificates.X509Certificate? certificate,
        System.Security.Cryptography.X509Certificates.X509Chain? chain, SslPolicyErrors errors) => true;
}
