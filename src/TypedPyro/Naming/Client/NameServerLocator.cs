using System.Net;
using System.Net.Sockets;
using System.Text;
using TypedPyro.Serialization;

namespace TypedPyro.Naming;

/// <summary>
/// Finds a name server (Python's <c>locateNS</c>) and resolves <c>PYRONAME:</c> and <c>PYROMETA:</c> URIs through it
/// (Python's <c>resolve</c>).
/// </summary>
public static class NameServerLocator
{
    private static readonly Lazy<bool> DebianLoopbackHost = new(HostsFileHas127011);

    /// <summary>
    /// Locates a name server, as Python's <c>locateNS(host, port, broadcast)</c>:
    /// <list type="number">
    /// <item>with <paramref name="host"/> or NS_HOST a comma list (<c>ns1,ns2:9091,[::1]:9092</c>, port default NS_PORT):
    /// connects to each in turn and returns the first that answers (fail-over); for NS_HOST, broadcast follows when
    /// none does (unless <paramref name="broadcast"/> is false);</item>
    /// <item>with <paramref name="host"/>: connects to <c>PYRO:Pyro.NameServer@host:port</c> (port default NS_PORT;
    /// <c>./u:path</c> for a Unix socket);</item>
    /// <item>without: tries NS_HOST directly when it is <c>localhost</c>, <c>::1</c> or <c>127.*</c> (and <c>127.0.1.1</c>
    /// when the hosts file names it), then, unless <paramref name="broadcast"/> is false or PREFER_IP_VERSION is 6,
    /// asks by UDP broadcast to each of BROADCAST_ADDRS on port <paramref name="port"/> (default NS_BCPORT), 3 rounds
    /// of 0.7 s, and finally connects to NS_HOST:NS_PORT.</item>
    /// </list>
    /// Direct connections are made before the client is returned; a broadcast answer is returned unconnected, as
    /// Python does (the first call connects).
    /// </summary>
    /// <param name="host">The name server's host, or null to search.</param>
    /// <param name="port">With a host: the name server's port. Without: the broadcast port.</param>
    /// <param name="broadcast">Whether to ask by broadcast.</param>
    /// <param name="options">Proxy options (HMAC key, serializer, timeout, configuration).</param>
    /// <param name="cancellationToken">Cancels the search.</param>
    /// <exception cref="NamingException"><c>Failed to locate the nameserver</c> (the last failure as inner exception).</exception>
    public static Task<NameServerClient> LocateAsync(string? host = null, int? port = null, bool broadcast = true, PyroProxyOptions? options = null, CancellationToken cancellationToken = default)
        => LocateCoreAsync(host, port, broadcast, options, blocking: false, cancellationToken).AsTask();

    /// <summary>
    /// <see cref="LocateAsync(string?, int?, bool, PyroProxyOptions?, CancellationToken)"/> with blocking socket calls
    /// only, for a blocking caller: no thread-pool thread is needed, and the client's socket stays in blocking mode.
    /// </summary>
    internal static NameServerClient Locate(string? host = null, int? port = null, bool broadcast = true, PyroProxyOptions? options = null)
        => LocateCoreAsync(host, port, broadcast, options, blocking: true, CancellationToken.None).GetAwaiter().GetResult(); // complete: every step blocked on this thread

    private static async ValueTask<NameServerClient> LocateCoreAsync(string? host, int? port, bool broadcast, PyroProxyOptions? options, bool blocking, CancellationToken cancellationToken)
    {
        options ??= new PyroProxyOptions();
        var config = options.Config ?? PyroConfig.Default;
        if (NameServerAddresses.IsList(host)) return await LocateInListAsync(host!, port is > 0 ? port.Value : config.NsPort, broadcastPort: null, options, blocking, cancellationToken).ConfigureAwait(false);
        if (string.IsNullOrEmpty(host) && NameServerAddresses.IsList(config.NsHost))
        {
            int? broadcastPort = broadcast && config.PreferIpVersion != 6 ? port is > 0 ? port.Value : config.NsBcPort : null;
            return await LocateInListAsync(config.NsHost, config.NsPort, broadcastPort, options, blocking, cancellationToken).ConfigureAwait(false);
        }
        if (string.IsNullOrEmpty(host))
        {
            string nsHost = config.NsHost;
            if (nsHost is "localhost" or "::1" || nsHost.StartsWith("127.", StringComparison.Ordinal))
            {
                var hosts = new List<string> { nsHost };
                if (!nsHost.Contains(':') && nsHost != "127.0.1.1" && DebianLoopbackHost.Value) hosts.Add("127.0.1.1");
                foreach (var candidate in hosts)
                {
                    // As Python: port (here the broadcast port, when given) or NS_PORT.
                    var client = new NameServerClient(new PyroUri(PyroNames.NameServerObjectId, candidate, port is > 0 ? port.Value : config.NsPort), options);
                    if (await TryBindAsync(client, blocking, cancellationToken).ConfigureAwait(false) is null) return client;
                }
            }
            if (config.PreferIpVersion == 6) broadcast = false;
            if (broadcast)
            {
                var found = await BroadcastLookupCoreAsync(port is > 0 ? port.Value : config.NsBcPort, config.GetBroadcastAddresses(), TimeSpan.FromSeconds(0.7), 3, config.SockReuse, blocking, cancellationToken).ConfigureAwait(false);
                if (found is not null) return new NameServerClient(found, options);
            }
            host = nsHost;
            port = config.NsPort;
        }

        PyroUri uri;
        try
        {
            uri = host.StartsWith("./u:", StringComparison.Ordinal)
                ? PyroUri.ForUnixSocket(PyroNames.NameServerObjectId, host[4..])
                : new PyroUri(PyroNames.NameServerObjectId, host.Length > 2 && host[0] == '[' && host[^1] == ']' ? host[1..^1] : host, port is > 0 ? port.Value : config.NsPort);
        }
        catch (ArgumentException e)
        {
            throw new NamingException("Failed to locate the nameserver", e);
        }
        var direct = new NameServerClient(uri, options);
        var failure = await TryBindAsync(direct, blocking, cancellationToken).ConfigureAwait(false);
        if (failure is null) return direct;
        throw new NamingException("Failed to locate the nameserver", failure);
    }

    // Fail-over: each name server of the list in turn (the first that accepts a connection), then broadcast, whose
    // first answer is from any live name server.
    private static async ValueTask<NameServerClient> LocateInListAsync(string list, int defaultPort, int? broadcastPort, PyroProxyOptions options, bool blocking, CancellationToken cancellationToken)
    {
        var config = options.Config ?? PyroConfig.Default;
        Exception? failure = null;
        foreach (var (host, port) in NameServerAddresses.Parse(list, defaultPort))
        {
            NameServerClient client;
            try
            {
                client = new NameServerClient(new PyroUri(PyroNames.NameServerObjectId, host, port), options);
            }
            catch (ArgumentException e)
            {
                failure = e;
                continue;
            }
            failure = await TryBindAsync(client, blocking, cancellationToken).ConfigureAwait(false);
            if (failure is null) return client;
        }
        if (broadcastPort is { } bcPort)
        {
            var found = await BroadcastLookupCoreAsync(bcPort, config.GetBroadcastAddresses(), TimeSpan.FromSeconds(0.7), 3, config.SockReuse, blocking, cancellationToken).ConfigureAwait(false);
            if (found is not null) return new NameServerClient(found, options);
        }
        throw new NamingException("Failed to locate the nameserver", failure);
    }

    /// <summary>
    /// Asks for a name server by UDP: sends <c>GET_NSURI</c> to each address on <paramref name="port"/>, waits up to
    /// <paramref name="timeout"/> for a reply, for <paramref name="rounds"/> rounds. Returns the first valid URI
    /// received, or null. <c>&lt;broadcast&gt;</c> means 255.255.255.255 and an empty address 0.0.0.0, as in Python.
    /// </summary>
    public static Task<PyroUri?> BroadcastLookupAsync(int port, IEnumerable<string> addresses, TimeSpan timeout, int rounds = 3, bool reuseAddress = true, CancellationToken cancellationToken = default)
        => BroadcastLookupCoreAsync(port, addresses, timeout, rounds, reuseAddress, blocking: false, cancellationToken).AsTask();

    private static async ValueTask<PyroUri?> BroadcastLookupCoreAsync(int port, IEnumerable<string> addresses, TimeSpan timeout, int rounds, bool reuseAddress, bool blocking, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(addresses);
        var targets = new List<IPEndPoint>();
        foreach (var address in addresses)
        {
            if (ParseBroadcastAddress(address) is { } ip) targets.Add(new IPEndPoint(ip, port));
        }
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { EnableBroadcast = true };
        if (reuseAddress) socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        socket.Bind(new IPEndPoint(IPAddress.Any, 0));
        var buffer = new byte[2048];
        var request = NameServerBroadcastServer.Request.ToArray();
        for (int round = 0; round < rounds; round++)
        {
            foreach (var target in targets)
            {
                try
                {
                    if (blocking) socket.SendTo(request, SocketFlags.None, target);
                    else await socket.SendToAsync(request, SocketFlags.None, target, cancellationToken).ConfigureAwait(false);
                }
                catch (SocketException)
                {
                    // No route, address not available...: try the other addresses.
                }
            }
            var found = blocking ? ReceiveReply(socket, buffer, timeout) : await ReceiveReplyAsync(socket, buffer, timeout, cancellationToken).ConfigureAwait(false);
            if (found is not null) return found;
        }
        return null;
    }

    /// <summary>
    /// Resolves a <c>PYRONAME:</c> or <c>PYROMETA:</c> URI to the <c>PYRO:</c> URI of an object (Python's
    /// <c>Pyro4.naming.resolve</c>): locates the name server (the URI's location, or by <see cref="LocateAsync"/>),
    /// then <c>lookup(name)</c>, or for PYROMETA <c>list(metadata_all=tags)</c> and a random pick among the matches.
    /// A <c>PYRO:</c> URI is returned as it is.
    /// </summary>
    /// <exception cref="NamingException">No name server, an unknown name, or no registration with the tags.</exception>
    public static Task<PyroUri> ResolveAsync(PyroUri uri, PyroProxyOptions? options = null, CancellationToken cancellationToken = default)
        => ResolveCoreAsync(uri, options, blocking: false, cancellationToken).AsTask();

    /// <summary><see cref="ResolveAsync(PyroUri, PyroProxyOptions?, CancellationToken)"/> with blocking socket calls only, for a blocking caller.</summary>
    internal static PyroUri Resolve(PyroUri uri, PyroProxyOptions? options = null)
        => ResolveCoreAsync(uri, options, blocking: true, CancellationToken.None).GetAwaiter().GetResult(); // complete: every step blocked on this thread

    private static async ValueTask<PyroUri> ResolveCoreAsync(PyroUri uri, PyroProxyOptions? options, bool blocking, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(uri);
        if (uri.Protocol == PyroUriProtocol.Pyro) return uri;
        string? host = uri.IsUnixSocket ? uri.Location : string.IsNullOrEmpty(uri.Host) ? null : uri.Host;
        using var nameServer = await LocateCoreAsync(host, uri.Port, broadcast: true, options, blocking, cancellationToken).ConfigureAwait(false);
        if (uri.Protocol == PyroUriProtocol.PyroName)
            return blocking ? nameServer.Lookup(uri.Object) : await nameServer.LookupAsync(uri.Object, cancellationToken).ConfigureAwait(false);

        var candidates = blocking
            ? nameServer.List(metadataAll: uri.MetaTags)
            : await nameServer.ListAsync(metadataAll: uri.MetaTags, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (candidates.Count > 0)
        {
            int pick = Random.Shared.Next(candidates.Count);
            foreach (var candidate in candidates.Values)
            {
                if (pick-- == 0) return PyroUri.Parse(candidate);
            }
        }
        var tags = new HashSet<object?>(PyValueComparer.Instance);
        foreach (var tag in uri.MetaTags) tags.Add(tag);
        throw new NamingException("no registrations available with desired metadata properties " + PythonRepr.Format(tags));
    }

    /// <summary>One round's wait for a reply: the first URI received within <paramref name="timeout"/>, or null.</summary>
    private static async ValueTask<PyroUri?> ReceiveReplyAsync(Socket socket, byte[] buffer, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        wait.CancelAfter(timeout);
        while (true)
        {
            SocketReceiveFromResult received;
            try
            {
                received = await socket.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), wait.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return null; // this round timed out
            }
            catch (SocketException)
            {
                continue; // e.g. ICMP port unreachable from a target without a responder
            }
            if (ReplyUri(buffer, received.ReceivedBytes) is { } uri) return uri;
        }
    }

    /// <summary>The URI a reply carries; null (ignored, where Python would fail the search) when it is not one.</summary>
    private static PyroUri? ReplyUri(byte[] buffer, int length)
        => PyroUri.TryParse(Encoding.Latin1.GetString(buffer, 0, length), out var uri) ? uri : null;

    /// <summary><see cref="ReceiveReplyAsync"/> with blocking receives, each limited to the time left in the round.</summary>
    private static PyroUri? ReceiveReply(Socket socket, byte[] buffer, TimeSpan timeout)
    {
        long deadline = Environment.TickCount64 + (long)Math.Ceiling(timeout.TotalMilliseconds);
        while (true)
        {
            long left = deadline - Environment.TickCount64;
            if (left <= 0) return null;
            socket.ReceiveTimeout = (int)Math.Min(left, int.MaxValue);
            EndPoint from = new IPEndPoint(IPAddress.Any, 0);
            int received;
            try
            {
                received = socket.ReceiveFrom(buffer, SocketFlags.None, ref from);
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.TimedOut)
            {
                return null; // this round timed out
            }
            catch (SocketException)
            {
                continue; // e.g. ICMP port unreachable from a target without a responder
            }
            if (ReplyUri(buffer, received) is { } uri) return uri;
        }
    }

    private static async ValueTask<Exception?> TryBindAsync(NameServerClient client, bool blocking, CancellationToken cancellationToken)
    {
        try
        {
            if (blocking) client.Proxy.Connect();
            else await client.Proxy.ConnectAsync(cancellationToken).ConfigureAwait(false);
            return null;
        }
        catch (PyroException e)
        {
            client.Dispose();
            return e;
        }
    }

    private static IPAddress? ParseBroadcastAddress(string address)
    {
        if (address == "<broadcast>") return IPAddress.Broadcast;
        if (address.Length == 0) return IPAddress.Any;
        if (IPAddress.TryParse(address, out var ip) && ip.AddressFamily == AddressFamily.InterNetwork) return ip;
        try
        {
            foreach (var resolved in Dns.GetHostAddresses(address))
            {
                if (resolved.AddressFamily == AddressFamily.InterNetwork) return resolved;
            }
        }
        catch (SocketException)
        {
        }
        return null;
    }

    // Python tries 127.0.1.1 too when gethostbyaddr("127.0.1.1") works: on Debian that means /etc/hosts names it.
    private static bool HostsFileHas127011()
    {
        try
        {
            foreach (var line in File.ReadLines("/etc/hosts"))
            {
                var text = line.AsSpan().TrimStart();
                if (text.StartsWith("127.0.1.1") && text.Length > 9 && char.IsWhiteSpace(text[9])) return true;
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
        return false;
    }
}
