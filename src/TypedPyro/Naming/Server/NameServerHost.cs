using System.Net;
using System.Net.Sockets;

namespace TypedPyro.Naming;

/// <summary>
/// A running name server: a <see cref="PyroDaemon"/> hosting <see cref="Naming.NameServer"/> as <c>Pyro.NameServer</c>
/// (registered in its own table with metadata <c>class:Pyro4.naming.NameServer</c>), the UDP broadcast responder, and
/// the auto-cleaner when NS_AUTOCLEAN is set. Python's <c>NameServerDaemon</c> plus <c>startNS</c>.
/// </summary>
/// <example>
/// <code>
/// await using var ns = NameServerHost.Create(new NameServerHostOptions { Host = "127.0.0.1", Port = 0 });
/// ns.Start();
/// Console.WriteLine(ns.Uri); // PYRO:Pyro.NameServer@127.0.0.1:40123
/// </code>
/// </example>
public sealed class NameServerHost : IAsyncDisposable, IDisposable
{
    private readonly NameServerAutoCleaner? _cleaner;
    private int _disposed;

    private NameServerHost(PyroDaemon daemon, NameServer nameServer, NameServerBroadcastServer? broadcast, string? broadcastNote, NameServerAutoCleaner? cleaner, int existing)
    {
        Daemon = daemon;
        NameServer = nameServer;
        BroadcastServer = broadcast;
        BroadcastNote = broadcastNote;
        _cleaner = cleaner;
        ExistingRegistrations = existing;
    }

    /// <summary>Creates the daemon (bound), the name server and the broadcast responder; call <see cref="Start"/> to serve.</summary>
    /// <exception cref="CommunicationException">A socket cannot be bound.</exception>
    /// <exception cref="NamingException">The storage cannot be used.</exception>
    /// <exception cref="ArgumentException">An invalid storage type or option.</exception>
    public static NameServerHost Create(NameServerHostOptions? options = null)
    {
        options ??= new NameServerHostOptions();
        var config = options.Config ?? PyroConfig.Default;
        if (config.NsAutoClean > TimeSpan.Zero && config.NsAutoClean < NameServerAutoCleaner.MinimumInterval)
            throw new ArgumentException("NS_AUTOCLEAN cannot be smaller than " + NameServerAutoCleaner.MinimumInterval.TotalSeconds);
        var storage = options.StorageProvider ?? NameServerStorage.Open(options.Storage);
        var nameServer = new NameServer(storage);
        PyroDaemon? daemon = null;
        NameServerBroadcastServer? broadcast = null;
        try
        {
            int existing = nameServer.Count();
            daemon = new PyroDaemon(new PyroDaemonOptions
            {
                Host = options.Host,
                Port = options.Port ?? config.NsPort,
                UnixSocket = options.UnixSocket,
                NatHost = options.NatHost,
                NatPort = options.NatPort,
                HmacKey = options.HmacKey,
                Config = config,
            }, options.Logger);
            daemon.Register(NameServerDispatcher.Create(nameServer), NameServer.ObjectId);
            nameServer.Register(NameServer.ObjectId, daemon.UriFor(NameServer.ObjectId), metadata: [NameServer.ClassMetadata]);

            string? note = null;
            if (options.UnixSocket is null)
            {
                var bound = daemon.BoundEndPoint!.Address;
                if (bound.AddressFamily == AddressFamily.InterNetworkV6 && !bound.IsIPv4MappedToIPv6)
                    note = "Not starting broadcast server for IPv6.";
                else if (IPAddress.IsLoopback(bound))
                    note = "Not starting broadcast server for localhost.";
                else if (options.EnableBroadcast)
                    broadcast = new NameServerBroadcastServer(daemon.UriFor(NameServer.ObjectId, nat: false), options.BroadcastHost, options.BroadcastPort, config);
            }
            var cleaner = config.NsAutoClean > TimeSpan.Zero ? new NameServerAutoCleaner(nameServer, config) : null;
            return new NameServerHost(daemon, nameServer, broadcast, note, cleaner, existing);
        }
        catch
        {
            broadcast?.Dispose();
            daemon?.Dispose();
            nameServer.Dispose();
            throw;
        }
    }

    /// <summary>The daemon hosting the name server.</summary>
    public PyroDaemon Daemon { get; }

    /// <summary>The name server object.</summary>
    public NameServer NameServer { get; }

    /// <summary>The broadcast responder, or null when not running (see <see cref="BroadcastNote"/>).</summary>
    public NameServerBroadcastServer? BroadcastServer { get; }

    /// <summary>Why the broadcast responder was not started (<c>Not starting broadcast server for localhost.</c>), or null.</summary>
    public string? BroadcastNote { get; }

    /// <summary>Registrations the storage held before this name server registered itself.</summary>
    public int ExistingRegistrations { get; }

    /// <summary>The name server's URI (at the NAT address when NAT is configured).</summary>
    public PyroUri Uri => Daemon.UriFor(NameServer.ObjectId);

    /// <summary>The name server's URI at the internal address.</summary>
    public PyroUri InternalUri => Daemon.UriFor(NameServer.ObjectId, nat: false);

    /// <summary>The bound IP address (<c>127.0.0.1</c>) or <c>Unix domain socket</c>, as Python's <c>pyro4-ns</c> prints it.</summary>
    public string HostIp => Daemon.BoundEndPoint?.Address.ToString() ?? "Unix domain socket";

    /// <summary>A task that completes when the name server has shut down.</summary>
    public Task Completion => Daemon.Completion;

    /// <summary>Starts serving (daemon, broadcast responder, auto-cleaner) in the background.</summary>
    public void Start()
    {
        BroadcastServer?.Start();
        _cleaner?.Start();
        Daemon.Start();
    }

    /// <summary>Serves until <paramref name="cancellationToken"/> is cancelled or <see cref="Shutdown"/> is called.</summary>
    public async Task RunAsync(CancellationToken cancellationToken = default)
    {
        Start();
        await Daemon.RunAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Stops serving.</summary>
    public void Shutdown()
    {
        _cleaner?.Dispose();
        BroadcastServer?.Dispose();
        Daemon.Shutdown();
    }

    /// <summary>Shuts down and closes the storage.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        Shutdown();
        Daemon.Dispose();
        NameServer.Dispose();
    }

    /// <summary>Shuts down, waits for the loops to end and closes the storage.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _cleaner?.Dispose();
        if (BroadcastServer is not null) await BroadcastServer.DisposeAsync().ConfigureAwait(false);
        await Daemon.DisposeAsync().ConfigureAwait(false);
        NameServer.Dispose();
    }
}
