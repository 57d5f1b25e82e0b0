using System.Net;
using System.Net.Sockets;
using TypedPyro.Interop.Tests.Support;
using TypedPyro.Naming;

namespace TypedPyro.Interop.Tests.Naming;

/// <summary>Name servers for the interop tests: Python's (<c>python3 -m Pyro4.naming</c>) and ours, on loopback and free ports.</summary>
internal static class NamingPeers
{
    public static int FreeTcpPort()
    {
        var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        int port = ((IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        return port;
    }

    public static int FreeUdpPort()
    {
        using var s = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        s.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)s.LocalEndPoint!).Port;
    }

    /// <summary>NS_HOST 127.0.0.1 on a closed port, broadcasts only to 127.255.255.255 on a free port.</summary>
    public static PyroConfig LoopbackConfig() => new PyroConfig().With(c =>
    {
        c.NsHost = "127.0.0.1";
        c.NsPort = FreeTcpPort();
        c.NsBcPort = FreeUdpPort();
        c.BroadcastAddrs = "127.255.255.255";
    });

    /// <summary>Environment for a Python peer matching <paramref name="config"/>.</summary>
    public static Dictionary<string, string> PythonEnvironment(PyroConfig config) => new()
    {
        ["PYRO_NS_HOST"] = config.NsHost,
        ["PYRO_NS_PORT"] = config.NsPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["PYRO_NS_BCPORT"] = config.NsBcPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["PYRO_BROADCAST_ADDRS"] = config.BroadcastAddrs,
    };

    public static NameServerHost StartDotNet(string host = "127.0.0.1", int? broadcastPort = null, string? storage = null)
    {
        var ns = NameServerHost.Create(new NameServerHostOptions { Host = host, Port = 0, BroadcastPort = broadcastPort ?? 0, Storage = storage, Config = LoopbackConfig() });
        ns.Start();
        return ns;
    }

    /// <summary>Starts <c>python3 -m Pyro4.naming</c>; returns the process and its URI.</summary>
    public static async Task<(PythonPeer Peer, PyroUri Uri)> StartPythonAsync(params string[] extra)
    {
        var peer = PythonPeer.Start(["-m", "Pyro4.naming", .. extra]);
        try
        {
            var uri = await peer.WaitForAsync(@"^URI = (\S+)");
            return (peer, PyroUri.Parse(uri));
        }
        catch
        {
            await peer.DisposeAsync();
            throw;
        }
    }
}
