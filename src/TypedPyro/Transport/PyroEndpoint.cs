using System.Net;
using System.Net.Sockets;

namespace TypedPyro.Transport;

/// <summary>Opens client sockets to a daemon location (TCP over IPv4/IPv6, or a Unix domain socket).</summary>
internal static class PyroEndpoint
{
    public static ValueTask<Socket> ConnectAsync(PyroUri uri, int preferIpVersion, CancellationToken cancellationToken)
        => ConnectAsync(uri, preferIpVersion, blocking: false, cancellationToken);

    /// <summary>
    /// Connects with blocking calls only (name lookup included), so that the socket stays in blocking mode: .NET
    /// switches a socket to non-blocking mode for good at its first async operation. A connect that takes longer than
    /// <paramref name="timeout"/> (infinite: no limit) fails with <see cref="SocketError.TimedOut"/>.
    /// </summary>
    public static Socket Connect(PyroUri uri, int preferIpVersion, TimeSpan timeout)
    {
        var connecting = ConnectAsync(uri, preferIpVersion, blocking: true, CancellationToken.None, timeout);
        return connecting.GetAwaiter().GetResult(); // complete: every step blocked on this thread
    }

    private static async ValueTask<Socket> ConnectAsync(PyroUri uri, int preferIpVersion, bool blocking, CancellationToken cancellationToken, TimeSpan timeout = default)
    {
        if (uri.UnixSocketPath is { } path)
        {
            var unix = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            try
            {
                var endPoint = new UnixDomainSocketEndPoint(path);
                if (blocking) ConnectBlocking(unix, endPoint, timeout);
                else await unix.ConnectAsync(endPoint, cancellationToken).ConfigureAwait(false);
                return unix;
            }
            catch
            {
                unix.Dispose();
                throw;
            }
        }

        var addresses = await ResolveAsync(uri.Host!, preferIpVersion, blocking, cancellationToken).ConfigureAwait(false);
        SocketException? last = null;
        foreach (var address in addresses)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                Configure(socket);
                var endPoint = new IPEndPoint(address, uri.Port!.Value);
                if (blocking) ConnectBlocking(socket, endPoint, timeout);
                else await socket.ConnectAsync(endPoint, cancellationToken).ConfigureAwait(false);
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

    /// <summary>
    /// A blocking connect that gives up after <paramref name="timeout"/>. .NET has no blocking connect with a time limit
    /// (the async one would switch the socket to non-blocking mode for good), so a timer closes the socket instead,
    /// which ends the blocked connect at once.
    /// </summary>
    private static void ConnectBlocking(Socket socket, EndPoint endPoint, TimeSpan timeout)
    {
        if (timeout <= TimeSpan.Zero || timeout == Timeout.InfiniteTimeSpan)
        {
            socket.Connect(endPoint);
            return;
        }
        var attempt = new ConnectAttempt(socket);
        using (new Timer(static state => ((ConnectAttempt)state!).Expire(), attempt, timeout, Timeout.InfiniteTimeSpan))
        {
            try
            {
                socket.Connect(endPoint);
            }
            catch (Exception) when (attempt.Expired)
            {
                throw new SocketException((int)SocketError.TimedOut);
            }
        }
        // Connected just as the timer fired: the socket is closed (or about to be), so this attempt failed all the same.
        if (!attempt.TryFinish()) throw new SocketException((int)SocketError.TimedOut);
    }

    /// <summary>One timed connect: either it finishes or its timer expires it, never both.</summary>
    private sealed class ConnectAttempt(Socket socket)
    {
        private const int Connecting = 0, Finished = 1, TimedOut = 2;
        private int _state;

        public bool Expired => Volatile.Read(ref _state) == TimedOut;

        public void Expire()
        {
            if (Interlocked.CompareExchange(ref _state, TimedOut, Connecting) == Connecting) socket.Dispose();
        }

        public bool TryFinish() => Interlocked.CompareExchange(ref _state, Finished, Connecting) == Connecting;
    }

    /// <summary>Resolves a host, ordering addresses by PREFER_IP_VERSION (4, 6, or 0 for the OS order).</summary>
    public static ValueTask<IPAddress[]> ResolveAsync(string host, int preferIpVersion, CancellationToken cancellationToken)
        => ResolveAsync(host, preferIpVersion, blocking: false, cancellationToken);

    /// <summary><see cref="ResolveAsync(string, int, CancellationToken)"/> with a blocking name lookup.</summary>
    public static IPAddress[] Resolve(string host, int preferIpVersion)
    {
        var resolving = ResolveAsync(host, preferIpVersion, blocking: true, CancellationToken.None);
        return resolving.GetAwaiter().GetResult(); // complete: the lookup blocked on this thread
    }

    private static async ValueTask<IPAddress[]> ResolveAsync(string host, int preferIpVersion, bool blocking, CancellationToken cancellationToken)
    {
        if (IPAddress.TryParse(host.Trim('[', ']'), out var literal)) return [literal];
        var all = blocking ? Dns.GetHostAddresses(host) : await Dns.GetHostAddressesAsync(host, cancellationToken).ConfigureAwait(false);
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
