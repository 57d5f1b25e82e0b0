using System.Net;
using System.Net.Sockets;
using TypedPyro.Naming;

namespace TypedPyro.Tests.Naming;

internal static class NamingTestSupport
{
    /// <summary>A temporary SQLite file path, deleted (with its journal) by the returned scope.</summary>
    public static TempFile TempDatabase() => new(Path.Combine(Path.GetTempPath(), "typedpyro-ns-" + Guid.NewGuid().ToString("N") + ".sqlite"));

    public static INameServerStorage CreateStorage(string kind, TempFile file) => kind switch
    {
        "memory" => new MemoryNameServerStorage(),
        "sql" => new SqliteNameServerStorage(file.Path, TimeSpan.FromSeconds(1)),
        _ => throw new ArgumentException(kind),
    };

    public static int FreeUdpPort()
    {
        using var s = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        s.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)s.LocalEndPoint!).Port;
    }

    public static int FreeTcpPort()
    {
        var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        int port = ((IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        return port;
    }

    /// <summary>A configuration that never reaches outside loopback: NS_HOST 127.0.0.1 on a closed port, broadcasts to 127.255.255.255.</summary>
    public static PyroConfig LoopbackConfig(int? nsPort = null, int? bcPort = null) => new PyroConfig().With(c =>
    {
        c.NsHost = "127.0.0.1";
        c.NsPort = nsPort ?? FreeTcpPort();
        c.NsBcPort = bcPort ?? FreeUdpPort();
        c.BroadcastAddrs = "127.255.255.255";
    });

    public sealed class TempFile(string path) : IDisposable
    {
        public string Path { get; } = path;

        public void Dispose()
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            foreach (var p in new[] { Path, Path + "-journal", Path + "-wal", Path + "-shm" })
            {
                try { File.Delete(p); } catch (IOException) { }
            }
        }
    }
}
