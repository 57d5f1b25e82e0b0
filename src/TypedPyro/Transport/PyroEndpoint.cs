using System.Net;
using System.Net.Sockets;

namespace TypedPyro.Transport;

/// <summary>Opens client sockets to a daemon location (TCP over IPv4/IPv6, or a Unix domain socket).</summary>
internal static class PyroEndpoint
{
    public static async ValueTask<Socket> ConnectAsync(PyroUri uri, int preferIpVersion, CancellationToken cancellationToken)
    {
        if (uri.UnixSocketPath is { } path)
        {
            var unix = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            try
            {
                await unix.ConnectAsync(new UnixDomainSocketEndPoint(path), cancellationToken).ConfigureAwait(false);
                return unix;
            }
            catch
            {
                unix.Dispose();
                throw;
            }
        }

        var addresses = await ResolveAsync(uri.Host!, preferIpVersion, cancellationToken).ConfigureAwait(false);
        SocketException? last = null;
        foreach (var address in addresses)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                Configure(socket);
                await socket.ConnectAsync(new IPEndPoint(address, uri.Port!.Value), cancellationToken).ConfigureAwait(false);
                return socket;
            }
            catch (SocketException e)
            {
                socket.Dispose();
                last = e;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }
        throw last ?? new SocketException((int)SocketError.HostNotFound);
    }

    /// <summary>Resolves a host, ordering addresses by PREFER_IP_VERSION (4, 6, or 0 for the OS order).</summary>
    public static async ValueTask<IPAddress[]> ResolveAsync(string host, int preferIpVersion, CancellationToken cancellationToken)
    {
        if (IPAddress.TryParse(host.Trim('[', ']'), out var literal)) return [literal];
        var all = await Dns.GetHostAddressesAsync(host, cancellationToken).ConfigureAwait(false);
        return preferIpVersion switch
        {
            4 => [.. all.OrderBy(a => a.AddressFamily == AddressFamily.InterNetwork ? 0 : 1)],
            6 => [.. all.OrderBy(a => a.AddressFamily == AddressFamily.InterNetworkV6 ? 0 : 1)],
            _ => all,
        };
    }

    public static void Configure(Socket socket)
    {
        socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.KeepAlive, true);
        // Pyro sends each message with one write, so Nagle never delays a request; turning it off still helps
        // request/reply latency when a reply is written in one piece after a read.
        if (socket.AddressFamily != AddressFamily.Unix) socket.NoDelay = true;
    }
}
