using System.Net;
using System.Net.Sockets;
using System.Text;
using TypedPyro.Serialization;

namespace TypedPyro.Gateway.Internal;

/// <summary>
/// The gateway's name server proxy, like Python's <c>get_nameserver()</c>: located once, kept, and pinged before each
/// use; when the connection was lost it is located again.
/// </summary>
internal sealed class NameServerConnection(PyroGatewayOptions options, PyroConfig config, PyroProxyOptions proxyOptions) : IDisposable
{
    private static readonly TimeSpan BroadcastTimeout = TimeSpan.FromSeconds(0.7);
    private readonly SemaphoreSlim _lock = new(1, 1);
    private PyroProxy? _proxy;

    /// <summary>A pinged name server proxy.</summary>
    /// <exception cref="NamingException">"Failed to locate the nameserver".</exception>
    public async Task<PyroProxy> GetAsync(CancellationToken cancellationToken)
    {
        for (int attempt = 0; ; attempt++)
        {
            PyroProxy proxy;
            await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                proxy = _proxy ??= await LocateAsync(cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                _lock.Release();
            }
            try
            {
                await proxy.PingAsync(cancellationToken).ConfigureAwait(false);
                return proxy;
            }
            catch (CommunicationException e) when (e is not PyroTimeoutException && attempt == 0)
            {
                // "Connection with nameserver lost, reconnecting..."
                options.ErrorLog?.WriteLine("Connection with nameserver lost, reconnecting...");
                await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
                try
                {
                    if (ReferenceEquals(_proxy, proxy)) _proxy = null;
                }
                finally
                {
                    _lock.Release();
                }
                proxy.Dispose();
            }
        }
    }

    /// <summary>Python's <c>locateNS(hmac_key=...)</c>, or a direct connection when the host is configured.</summary>
    private async Task<PyroProxy> LocateAsync(CancellationToken cancellationToken)
    {
        if (options.NameServerHost is { Length: > 0 } host)
            return await DirectAsync(host, options.NameServerPort ?? config.NsPort, cancellationToken).ConfigureAwait(false);

        var nsHost = config.NsHost;
        if (nsHost is "localhost" or "::1" || nsHost.StartsWith("127.", StringComparison.Ordinal))
        {
            var hosts = new List<string> { nsHost };
            if (!nsHost.Contains(':', StringComparison.Ordinal) && nsHost != "127.0.1.1" && ResolvesBack("127.0.1.1")) hosts.Add("127.0.1.1");
            foreach (var candidate in hosts)
            {
                var proxy = new PyroProxy(new PyroUri(PyroNames.NameServerObjectId, candidate, config.NsPort), proxyOptions);
                try
                {
                    await proxy.ConnectAsync(cancellationToken).ConfigureAwait(false);
                    return proxy;
                }
                catch (PyroException)
                {
                    proxy.Dispose();
                }
            }
        }
        if (config.PreferIpVersion != 6 && await BroadcastAsync(cancellationToken).ConfigureAwait(false) is { } found)
            return new PyroProxy(found, proxyOptions);
        return await DirectAsync(nsHost, config.NsPort, cancellationToken).ConfigureAwait(false);
    }

    private async Task<PyroProxy> DirectAsync(string host, int port, CancellationToken cancellationToken)
    {
        PyroProxy proxy;
        try
        {
            proxy = new PyroProxy(new PyroUri(PyroNames.NameServerObjectId, host.Trim('[', ']'), port), proxyOptions);
        }
        catch (ArgumentException e)
        {
            throw new NamingException("Failed to locate the nameserver", e);
        }
        try
        {
            await proxy.ConnectAsync(cancellationToken).ConfigureAwait(false);
            return proxy;
        }
        catch (PyroException e)
        {
            proxy.Dispose();
            throw new NamingException("Failed to locate the nameserver", e);
        }
    }

    /// <summary>UDP <c>GET_NSURI</c> to BROADCAST_ADDRS on NS_BCPORT: 3 rounds of 0.7 s; the first reply is the URI.</summary>
    private async Task<PyroUri?> BroadcastAsync(CancellationToken cancellationToken)
    {
        using var udp = new UdpClient(AddressFamily.InterNetwork) { EnableBroadcast = true };
        var request = "GET_NSURI"u8.ToArray();
        for (int round = 0; round < 3; round++)
        {
            foreach (var address in config.GetBroadcastAddresses())
            {
                var target = address is "<broadcast>" or "" ? IPAddress.Broadcast
                    : IPAddress.TryParse(address, out var ip) ? ip : null;
                if (target is null || target.AddressFamily != AddressFamily.InterNetwork) continue;
                try
                {
                    await udp.SendAsync(request, new IPEndPoint(target, config.NsBcPort), cancellationToken).ConfigureAwait(false);
                }
                catch (SocketException)
                {
                    // Unreachable broadcast networks are no reason to stop looking.
                }
            }
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(BroadcastTimeout);
            try
            {
                var reply = await udp.ReceiveAsync(timeout.Token).ConfigureAwait(false);
                if (PyroUri.TryParse(Encoding.Latin1.GetString(reply.Buffer), out var uri)) return uri;
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
            }
            catch (SocketException)
            {
            }
        }
        return null;
    }

    private static bool ResolvesBack(string address)
    {
        try
        {
            Dns.GetHostEntry(address);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    public void Dispose()
    {
        Interlocked.Exchange(ref _proxy, null)?.Dispose();
    }
}
