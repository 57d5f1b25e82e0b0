using System.Net;
using System.Net.Sockets;
using System.Text;

namespace TypedPyro.Naming;

/// <summary>
/// The name server's UDP broadcast responder (Python's <c>BroadcastServer</c>): answers the 9-byte request
/// <c>GET_NSURI</c> with the name server's URI as ISO-8859-1 text, sent back to the asker. Every other datagram is
/// ignored. When the URI's host is <c>0.0.0.0</c> (a name server bound to all interfaces) the reply carries the
/// address of the local interface that routes to the asker instead, so the asker can connect to it.
/// </summary>
public sealed class NameServerBroadcastServer : IAsyncDisposable, IDisposable
{
    /// <summary>The request datagram.</summary>
    public static ReadOnlySpan<byte> Request => "GET_NSURI"u8;

    private readonly Socket _socket;
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;
    private long _answered;
    private long _ignored;

    /// <summary>Binds the responder.</summary>
    /// <param name="nameServerUri">The URI to answer with (the internal, non-NAT URI, as Python does).</param>
    /// <param name="host">Address to bind; null = config NS_BCHOST, empty = all interfaces.</param>
    /// <param name="port">UDP port; null = config NS_BCPORT (9091); 0 = a free port.</param>
    /// <param name="config">Configuration; null = <see cref="PyroConfig.Default"/>.</param>
    /// <exception cref="CommunicationException">The address cannot be bound.</exception>
    public NameServerBroadcastServer(PyroUri nameServerUri, string? host = null, int? port = null, PyroConfig? config = null)
    {
        NameServerUri = nameServerUri ?? throw new ArgumentNullException(nameof(nameServerUri));
        config ??= PyroConfig.Default;
        host ??= config.NsBcHost ?? "";
        int bcPort = port ?? config.NsBcPort;
        bool ipv6 = (nameServerUri.Host?.Contains(':') ?? false) || host.Contains(':');
        IPAddress address;
        if (host.Length == 0) address = ipv6 ? IPAddress.IPv6Any : IPAddress.Any;
        else if (!IPAddress.TryParse(host.Trim('[', ']'), out address!))
            address = Dns.GetHostAddresses(host).FirstOrDefault(a => a.AddressFamily == (ipv6 ? AddressFamily.InterNetworkV6 : AddressFamily.InterNetwork))
                ?? throw new CommunicationException($"cannot resolve broadcast host '{host}'");
        _socket = new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            if (address.AddressFamily == AddressFamily.InterNetwork) _socket.EnableBroadcast = true;
            if (config.SockReuse) _socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            _socket.Bind(new IPEndPoint(address, bcPort));
        }
        catch (SocketException e)
        {
            _socket.Dispose();
            throw new CommunicationException($"cannot bind broadcast server socket: {e.Message}", e);
        }
        EndPoint = (IPEndPoint)_socket.LocalEndPoint!;
        string shownHost = host.Length > 0 ? host : EndPoint.Address.ToString();
        LocationString = shownHost.Contains(':') ? $"[{shownHost}]:{EndPoint.Port}" : $"{shownHost}:{EndPoint.Port}";
    }

    /// <summary>The URI the responder answers with.</summary>
    public PyroUri NameServerUri { get; }

    /// <summary>The bound address and port.</summary>
    public IPEndPoint EndPoint { get; }

    /// <summary>The bound UDP port.</summary>
    public int Port => EndPoint.Port;

    /// <summary><c>host:port</c> as Python prints it (<c>Broadcast server running on 0.0.0.0:9091</c>).</summary>
    public string LocationString { get; }

    /// <summary>Number of requests answered.</summary>
    public long RequestsAnswered => Interlocked.Read(ref _answered);

    /// <summary>Number of datagrams ignored (not a <c>GET_NSURI</c> request).</summary>
    public long DatagramsIgnored => Interlocked.Read(ref _ignored);

    /// <summary>Starts answering in the background; calling it again does nothing.</summary>
    public void Start()
    {
        ObjectDisposedException.ThrowIf(_stop.IsCancellationRequested, this);
        if (Interlocked.CompareExchange(ref _loop, Task.CompletedTask, null) is not null) return;
        _loop = Task.Run(LoopAsync);
    }

    private async Task LoopAsync()
    {
        var buffer = new byte[2048];
        EndPoint any = new IPEndPoint(EndPoint.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0);
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                var received = await _socket.ReceiveFromAsync(buffer, SocketFlags.None, any, _stop.Token).ConfigureAwait(false);
                var requester = (IPEndPoint)received.RemoteEndPoint;
                var reply = ReplyFor(buffer.AsSpan(0, received.ReceivedBytes), requester.Address, NameServerUri);
                if (reply is null)
                {
                    Interlocked.Increment(ref _ignored);
                    continue;
                }
                await _socket.SendToAsync(reply, SocketFlags.None, requester, _stop.Token).ConfigureAwait(false);
                Interlocked.Increment(ref _answered);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                break;
            }
            catch (SocketException)
            {
                // A requester that went away (ICMP port unreachable) or a datagram too large: keep serving.
            }
        }
    }

    /// <summary>
    /// The reply to one datagram from <paramref name="requester"/>, or null when it is not a request.
    /// </summary>
    public static byte[]? ReplyFor(ReadOnlySpan<byte> datagram, IPAddress requester, PyroUri nameServerUri)
    {
        ArgumentNullException.ThrowIfNull(nameServerUri);
        if (!datagram.SequenceEqual(Request)) return null;
        var uri = nameServerUri;
        if (uri.Host is "0.0.0.0" or "" && uri.Port is int port)
        {
            // Replace INADDR_ANY by the address of the interface that reaches the requester.
            if (InterfaceAddressFor(requester) is { } local) uri = new PyroUri(uri.Object, local.ToString(), port);
        }
        return Encoding.Latin1.GetBytes(uri.ToString());
    }

    /// <summary>The local address the operating system would use to reach <paramref name="remote"/> (no packet is sent).</summary>
    public static IPAddress? InterfaceAddressFor(IPAddress remote)
    {
        ArgumentNullException.ThrowIfNull(remote);
        if (remote.IsIPv4MappedToIPv6) remote = remote.MapToIPv4();
        try
        {
            using var probe = new Socket(remote.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
            probe.Connect(new IPEndPoint(remote, 53));
            return ((IPEndPoint)probe.LocalEndPoint!).Address;
        }
        catch (SocketException)
        {
            return null;
        }
    }

    /// <summary>Stops answering and closes the socket.</summary>
    public void Dispose()
    {
        if (_stop.IsCancellationRequested) return;
        _stop.Cancel();
        _socket.Dispose();
    }

    /// <summary>Stops answering and waits for the loop to end.</summary>
    public async ValueTask DisposeAsync()
    {
        var loop = _loop;
        Dispose();
        if (loop is not null) await loop.ConfigureAwait(false);
        _stop.Dispose();
    }
}
