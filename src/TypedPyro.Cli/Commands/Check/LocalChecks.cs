using System.Net;
using System.Net.Sockets;
using TypedPyro.Naming;

namespace TypedPyro.Cli.Commands.Check;

/// <summary>Checks of this machine's setup: name resolution, NAT settings, name servers reachable by broadcast.</summary>
internal static class LocalChecks
{
    /// <summary>
    /// The local hostname must resolve, and not only to 127.x when others must reach us (Pyro's "weird DNS setup"
    /// warning: a daemon bound to the hostname then listens on loopback only).
    /// </summary>
    public static async Task<CheckResult> HostnameAsync(bool remoteTarget, TimeSpan timeout, CancellationToken cancellationToken)
    {
        string hostname = Dns.GetHostName();
        IPAddress[] addresses;
        try
        {
            addresses = await Dns.GetHostAddressesAsync(hostname, cancellationToken).WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is SocketException or TimeoutException)
        {
            return CheckResult.Error("dns", $"the local hostname {hostname} does not resolve ({e.Message})", $"add \"{hostname}\" to /etc/hosts or to DNS");
        }
        var data = new Dictionary<string, object?> { ["hostname"] = hostname, ["addresses"] = addresses.Select(a => a.ToString()).ToList() };
        string list = string.Join(", ", addresses.Select(a => a.ToString()));
        if (addresses.Length > 0 && addresses.All(IPAddress.IsLoopback))
        {
            string message = $"the local hostname {hostname} resolves only to loopback ({list}): a daemon bound to it is unreachable from other machines";
            return remoteTarget
                ? CheckResult.Warning("dns", message, $"map {hostname} to this machine's network address in /etc/hosts or DNS, or bind daemons to an address (-H)", data)
                : CheckResult.Ok("dns", message + " (fine for local use)", data);
        }
        return CheckResult.Ok("dns", $"the local hostname {hostname} resolves to {list}", data);
    }

    /// <summary>
    /// Where the daemon of <paramref name="daemon"/> listens, which the other checks connect to: its Unix socket
    /// (when the socket file exists), or the address its host resolves to.
    /// </summary>
    public static async Task<(EndPoint? EndPoint, CheckResult Result)> ServerEndPointAsync(PyroUri daemon, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (daemon.IsUnixSocket) return SocketFile(daemon.UnixSocketPath);
        var (address, result) = await TargetHostAsync(daemon.Host!, timeout, cancellationToken).ConfigureAwait(false);
        return (address is null ? null : new IPEndPoint(address, daemon.Port!.Value), result);
    }

    /// <summary>A Unix socket has no host to resolve, but a file: a daemon creates it when it starts listening.</summary>
    private static (EndPoint? EndPoint, CheckResult Result) SocketFile(string path)
        => File.Exists(path)
            ? (new UnixDomainSocketEndPoint(path), CheckResult.Ok("socket", $"{path} exists"))
            : (null, CheckResult.Error("socket", $"no Unix domain socket {path}: the file does not exist", "start the daemon (it creates the socket), or correct the path"));

    /// <summary>Resolves the target's host; the other checks need an address.</summary>
    private static async Task<(IPAddress? Address, CheckResult Result)> TargetHostAsync(string host, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (IPAddress.TryParse(host, out var literal)) return (literal, CheckResult.Ok("host", $"{host} is an address"));
        try
        {
            var addresses = await Dns.GetHostAddressesAsync(host, cancellationToken).WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
            var address = addresses.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork) ?? addresses.FirstOrDefault();
            if (address is null) return (null, CheckResult.Error("host", $"{host} has no address", "check the host name"));
            return (address, CheckResult.Ok("host", $"{host} resolves to {string.Join(", ", addresses.Select(a => a.ToString()))}"));
        }
        catch (Exception e) when (e is SocketException or TimeoutException)
        {
            return (null, CheckResult.Error("host", $"{host} does not resolve ({e.Message})", "check the host name, or use an IP address"));
        }
    }

    /// <summary>NATHOST/NATPORT as a Python daemon reads them: a NAT port without a NAT host is ignored.</summary>
    public static CheckResult Nat(PyroConfig config)
    {
        if (string.IsNullOrEmpty(config.NatHost))
        {
            return config.NatPort != 0
                ? CheckResult.Warning("nat", $"PYRO_NATPORT={config.NatPort} without PYRO_NATHOST: daemons ignore it", "set PYRO_NATHOST to the address clients connect to, or unset PYRO_NATPORT")
                : CheckResult.Ok("nat", "no NAT settings (daemons advertise their own address)");
        }
        if (config.NatHost.StartsWith("127.", StringComparison.Ordinal) || config.NatHost is "localhost" or "::1")
            return CheckResult.Warning("nat", $"PYRO_NATHOST={config.NatHost} is a loopback address: URIs handed to other machines will point to themselves", "set PYRO_NATHOST to the public address of the NAT gateway");
        string port = config.NatPort == 0 ? "the daemon's own port" : config.NatPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return CheckResult.Ok("nat", $"daemons advertise {config.NatHost}, port {port}");
    }

    /// <summary>Asks for name servers by broadcast (as locateNS does), then counts the objects of the one found.</summary>
    public static async Task<List<CheckResult>> NameServerAsync(CheckSettings settings, CancellationToken cancellationToken)
    {
        var results = new List<CheckResult>();
        var config = settings.Config;
        PyroUri? found = null;
        try
        {
            found = await NameServerLocator.BroadcastLookupAsync(config.NsBcPort, config.GetBroadcastAddresses(), TimeSpan.FromSeconds(0.7), 2, config.SockReuse, cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException e)
        {
            results.Add(CheckResult.Warning("broadcast", $"cannot send a broadcast ({e.Message})", "set PYRO_NS_HOST to the name server's host"));
        }
        if (found is not null) results.Add(CheckResult.Ok("broadcast", $"a name server answered on UDP port {config.NsBcPort}: {found}", new Dictionary<string, object?> { ["uri"] = found.ToString() }));
        else if (results.Count == 0) results.Add(CheckResult.Warning("broadcast", $"no name server answered a broadcast on UDP port {config.NsBcPort}", "start one (typedpyro ns, pyro4-ns) without -x, or set PYRO_NS_HOST"));

        var options = new PyroProxyOptions { HmacKey = settings.HmacKey, Timeout = settings.Timeout, Config = config };
        try
        {
            await using var ns = found is not null
                ? new NameServerClient(found, options)
                : await NameServerLocator.LocateAsync(config.NsHost, config.NsPort, broadcast: false, options, cancellationToken).ConfigureAwait(false);
            int count = await ns.CountAsync(cancellationToken).ConfigureAwait(false);
            results.Add(CheckResult.Ok("nameserver", $"{ns.Proxy.Uri} answers: {count} object{(count == 1 ? "" : "s")} registered", new Dictionary<string, object?> { ["uri"] = ns.Proxy.Uri.ToString(), ["count"] = count }));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            results.Add(CheckResult.Warning("nameserver", $"no name server at {config.NsHost}:{config.NsPort} ({e.Message})", "start one (typedpyro ns -n HOST), or set PYRO_NS_HOST and PYRO_NS_PORT"));
        }
        return results;
    }
}
