using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using TypedPyro.Protocol;
using TypedPyro.Transport;

namespace TypedPyro;

/// <summary>
/// A Pyro4 daemon: listens on TCP (IPv4 or IPv6) or a Unix domain socket, performs the CONNECT handshake, and
/// dispatches INVOKE and PING messages to registered objects. Like Python's daemon, it binds when constructed
/// (so <see cref="LocationUri"/> and <see cref="Register(IPyroDispatcher, string?)"/>'s URIs are known at once) and serves after
/// <see cref="Start"/> or <see cref="RunAsync"/>.
/// </summary>
/// <remarks>
/// Every connection is served by its own asynchronous loop; requests on one connection are handled one at a time
/// and answered in order, as Pyro4 requires. With SERVERTYPE <c>thread</c> (the default) at most THREADPOOL_SIZE
/// connections are served at once and the next client is refused with Pyro's "no free workers" CONNECTFAIL; with
/// <c>multiplex</c> there is no limit. All members are thread-safe.
/// </remarks>
public sealed partial class PyroDaemon : IAsyncDisposable, IDisposable
{
    private readonly ConcurrentDictionary<string, IPyroDispatcher> _objects = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<long, DaemonConnection> _connections = new();
    private readonly ConcurrentDictionary<string, object> _instances = new(StringComparer.Ordinal);
    private readonly Socket _listener;
    private readonly CancellationTokenSource _shutdown = new();
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly string? _unixSocketPath;
    private Task? _acceptLoop;
    private Timer? _housekeeping;
    private int _disposed;

    /// <summary>Creates a daemon and binds its listening socket.</summary>
    /// <exception cref="CommunicationException">The address cannot be bound.</exception>
    public PyroDaemon(PyroDaemonOptions? options = null, ILogger<PyroDaemon>? logger = null)
    {
        options ??= new PyroDaemonOptions();
        Config = options.Config ?? PyroConfig.Default;
        Logger = (ILogger?)logger ?? PyroLogging.Default.CreateLogger("TypedPyro.Daemon");
        HmacKey = options.HmacKey;
        Security = new MessageSecurity(HmacKey, Config.MaxMessageSize);
        NatHost = options.NatHost ?? Config.NatHost;
        int natPort = options.NatPort ?? Config.NatPort;
        SetUpTls(options);

        try
        {
            if (options.UnixSocket is { } path)
            {
                if (NatHost is not null) throw new ArgumentException("cannot use nathost together with unixsocket");
                if (File.Exists(path)) File.Delete(path);
                _listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                _listener.Bind(new UnixDomainSocketEndPoint(path));
                _unixSocketPath = path;
                LocationUri = PyroUri.ForUnixSocket(PyroNames.DaemonObjectId, path);
            }
            else
            {
                string host = options.Host ?? Config.Host;
                var address = PyroEndpoint.Resolve(host, Config.PreferIpVersion)[0];
                WarnIfHostNameIsLoopback(host, address);
                _listener = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
                if (Config.SockReuse) _listener.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
                _listener.Bind(new IPEndPoint(address, options.Port));
                int boundPort = ((IPEndPoint)_listener.LocalEndPoint!).Port;
                LocationUri = new PyroUri(PyroNames.DaemonObjectId, host, boundPort);
                if (NatHost is not null) NatUri = new PyroUri(PyroNames.DaemonObjectId, NatHost, natPort == 0 ? boundPort : natPort);
            }
            _listener.Listen(512);
        }
        catch (SocketException e)
        {
            _listener?.Dispose();
            throw new CommunicationException($"cannot bind daemon socket: {e.Message}", e);
        }

        _objects[PyroNames.DaemonObjectId] = CreateDaemonObject();
    }

    private void WarnIfHostNameIsLoopback(string host, IPAddress address)
    {
        // A machine name that resolves to 127.x (Debian's 127.0.1.1 hosts entry) makes URIs no other machine can use.
        bool isName = !IPAddress.TryParse(host.Trim('[', ']'), out _) && !string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase);
        if (isName && IPAddress.IsLoopback(address)) DaemonLog.LoopbackHostName(Logger, host, address.ToString());
    }

    /// <summary>The configuration this daemon runs with.</summary>
    public PyroConfig Config { get; }

    /// <summary>The HMAC key, or null.</summary>
    public byte[]? HmacKey { get; }

    /// <summary>The NAT host put in URIs, or null.</summary>
    public string? NatHost { get; }

    /// <summary>The URI of the daemon object at the internal address (<c>PYRO:Pyro.Daemon@host:port</c>).</summary>
    public PyroUri LocationUri { get; }

    /// <summary>The daemon object's URI at the NAT address, when NAT is configured.</summary>
    public PyroUri? NatUri { get; }

    /// <summary>The address the listener is bound to (TCP), or null for Unix sockets.</summary>
    public IPEndPoint? BoundEndPoint => _listener.LocalEndPoint as IPEndPoint;

    /// <summary>
    /// Validates a client's handshake data (Python's <c>validateHandshake</c>). Return the value sent back in
    /// CONNECTOK; throw to refuse the connection (the exception message is the reason the client sees).
    /// Default: accept and answer <c>"hello"</c>.
    /// </summary>
    public Func<PyroClientConnection, object?, object?> ValidateHandshake { get; set; } = static (_, _) => "hello";

    /// <summary>Called after a client connection closed (Python's <c>clientDisconnect</c>).</summary>
    public event Action<PyroClientConnection>? ClientDisconnected;

    /// <summary>Ids of every registered object, the daemon's own included.</summary>
    public IReadOnlyCollection<string> RegisteredIds => [.. _objects.Keys];

    /// <summary>A task that completes when the daemon has shut down.</summary>
    public Task Completion => _stopped.Task;

    internal ILogger Logger { get; }
    internal StreamRegistry Streams { get; } = new();
    internal MessageSecurity Security { get; }
    internal CancellationToken ShutdownToken => _shutdown.Token;

    /// <summary>
    /// Registers an object under <paramref name="objectId"/> (or a generated <c>obj_</c> + 32 hex id) and returns its
    /// URI (the NAT address when NAT is configured).
    /// </summary>
    /// <exception cref="DaemonException">The id is already registered.</exception>
    public PyroUri Register(IPyroDispatcher dispatcher, string? objectId = null)
    {
        ArgumentNullException.ThrowIfNull(dispatcher);
        objectId ??= "obj_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        if (!_objects.TryAdd(objectId, dispatcher)) throw new DaemonException($"object or class already registered: {objectId}");
        return UriFor(objectId);
    }

    /// <summary>
    /// Registers <paramref name="implementation"/> through its <c>[Expose]</c> contract's generated dispatcher:
    /// only the contract's members are remote, whatever else the implementation has.
    /// </summary>
    public PyroUri Register<TContract>(TContract implementation, string? objectId = null) where TContract : class
    {
        // Overload resolution prefers this method for any concrete dispatcher class: serve those as dispatchers.
        if (implementation is IPyroDispatcher dispatcher && !PyroContracts.IsRegistered<TContract>()) return Register(dispatcher, objectId);
        var contractDispatcher = PyroContracts.CreateDispatcher(implementation);
        var uri = Register(contractDispatcher, objectId);
        // Remember the instance so it can be passed by reference (callbacks, AUTOPROXY).
        PyroCallbacks.Remember(implementation, uri, contractDispatcher.Metadata);
        _instances[uri.Object] = implementation;
        return uri;
    }

    /// <summary>
    /// Registers a factory instead of an instance (Pyro's registration of a class): instances are made per the
    /// <paramref name="mode"/> and served through the contract's generated dispatcher.
    /// </summary>
    public PyroUri Register<TContract>(Func<TContract> factory, PyroInstanceMode mode, string? objectId = null) where TContract : class
    {
        ArgumentNullException.ThrowIfNull(factory);
        (IPyroDispatcher, object) Create()
        {
            var instance = factory();
            return (PyroContracts.CreateDispatcher(instance), instance);
        }
        // The generator registers each contract's metadata, so no instance is made before it is needed.
        var metadata = PyroContracts.GetMetadata<TContract>() ?? Create().Item1.Metadata;
        string name = typeof(TContract).Name;
        if (name.Length > 1 && name[0] == 'I' && char.IsUpper(name[1])) name = name[1..];
        return Register((IPyroDispatcher)new InstanceModeDispatcher(name, metadata, mode, Create), objectId);
    }

    /// <summary>Registers an untyped factory of dispatchers with the given metadata and instance mode.</summary>
    public PyroUri Register(Func<IPyroDispatcher> factory, PyroObjectMetadata metadata, PyroInstanceMode mode, string? objectId = null)
    {
        ArgumentNullException.ThrowIfNull(factory);
        ArgumentNullException.ThrowIfNull(metadata);
        (IPyroDispatcher, object) Create()
        {
            var dispatcher = factory();
            return (dispatcher, dispatcher);
        }
        return Register((IPyroDispatcher)new InstanceModeDispatcher("InstanceFactory", metadata, mode, Create), objectId);
    }

    /// <summary>Removes a registration; returns false when the id was not registered. The daemon object stays.</summary>
    public bool Unregister(string objectId)
    {
        if (_instances.TryRemove(objectId, out var instance)) PyroCallbacks.Forget(instance);
        bool removed = objectId != PyroNames.DaemonObjectId && _objects.TryRemove(objectId, out _);
        if (removed) Interlocked.Increment(ref _unregistrations);
        return removed;
    }

    // Counts removals, so that a connection may remember the object its last call went to (an id, once registered,
    // names the same object until it is unregistered).
    private int _unregistrations;

    internal int Unregistrations => Volatile.Read(ref _unregistrations);

    /// <summary>The URI of <paramref name="objectId"/>: at the NAT address when configured and <paramref name="nat"/>.</summary>
    public PyroUri UriFor(string objectId, bool nat = true)
    {
        var location = nat && NatUri is not null ? NatUri : LocationUri;
        return location.WithObject(objectId);
    }

    internal bool TryGetObject(string objectId, out IPyroDispatcher dispatcher) => _objects.TryGetValue(objectId, out dispatcher!);

    /// <summary>The registered object as a client of <paramref name="pyro5"/>'s protocol sees it (see <see cref="IPyro5Variant"/>).</summary>
    internal bool TryGetObject(string objectId, bool pyro5, out IPyroDispatcher dispatcher)
    {
        if (!_objects.TryGetValue(objectId, out dispatcher!)) return false;
        if (pyro5 && dispatcher is IPyro5Variant variant) dispatcher = variant.Pyro5;
        return true;
    }

    /// <summary>Starts accepting connections in the background. Calling it twice does nothing.</summary>
    public void Start()
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        if (Interlocked.CompareExchange(ref _acceptLoop, Task.CompletedTask, null) is not null) return;
        DaemonLog.Listening(Logger, LocationUri.Location!);
        _acceptLoop = Task.Run(AcceptLoopAsync);
        // Pyro's periodic housekeeping: expire remote iterators past their lifetime or linger time.
        var period = Config.PollTimeout > TimeSpan.Zero ? Config.PollTimeout : TimeSpan.FromSeconds(2);
        _housekeeping = new Timer(static d => _ = ((PyroDaemon)d!).Streams.HousekeepAsync(((PyroDaemon)d).Config.IterStreamLifetime, ((PyroDaemon)d).Config.IterStreamLinger).AsTask(), this, period, period);
    }

    /// <summary>Serves until <paramref name="cancellationToken"/> is cancelled or <see cref="Shutdown"/> is called.</summary>
    public async Task RunAsync(CancellationToken cancellationToken = default)
    {
        Start();
        using (cancellationToken.Register(static d => ((PyroDaemon)d!).Shutdown(), this))
        {
            await Completion.ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Stops accepting, closes every client connection and the listener, and completes <see cref="Completion"/>.
    /// Safe to call more than once and from a remote call (e.g. the echo server's <c>shutdown</c>).
    /// </summary>
    public void Shutdown()
    {
        if (_shutdown.IsCancellationRequested) return;
        _shutdown.Cancel();
        _stopReading.Cancel();
        _housekeeping?.Dispose();
        _ = Streams.ClearAsync().AsTask();
        try { _listener.Dispose(); } catch (ObjectDisposedException) { }
        foreach (var connection in _connections.Values) connection.Abort();
        if (_unixSocketPath is not null)
        {
            try { File.Delete(_unixSocketPath); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
        _stopped.TrySetResult();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stopReading.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptAsync(_stopReading.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException || _stopReading.IsCancellationRequested)
            {
                break;
            }
            catch (SocketException)
            {
                continue; // A client that reset before we accepted it: nothing to serve.
            }
            PyroEndpoint.Configure(client);
            if (_tls is not null)
            {
                _ = AcceptTlsAsync(client);
                continue;
            }
            var connection = new DaemonConnection(this, client);
            _connections[connection.Client.Id] = connection;
            _ = ServeAsync(connection);
        }
    }

    /// <summary>
    /// Serves one already-connected stream without a handshake (Python's <c>Daemon(connected_socket=...)</c>), until
    /// the peer closes it or the daemon shuts down. Use with <see cref="PyroProxy.ForConnectedStream"/> or a Python
    /// proxy made with <c>connected_socket</c>.
    /// </summary>
    public Task ServeConnectedAsync(Stream stream, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        var connection = new DaemonConnection(this, stream, socket: null, remote: null, handshake: false);
        _connections[connection.Client.Id] = connection;
        var registration = cancellationToken.Register(static c => ((DaemonConnection)c!).Abort(), connection);
        return ServeAsync(connection).ContinueWith(_ => registration.Dispose(), TaskScheduler.Default);
    }

    private async Task ServeAsync(DaemonConnection connection)
    {
        PyroMetrics.ServerConnectionOpened();
        try
        {
            await connection.RunAsync().ConfigureAwait(false);
        }
        finally
        {
            _connections.TryRemove(connection.Client.Id, out _);
            PyroMetrics.ServerConnectionClosed();
            NoteConnectionEnded();
            connection.Dispose();
            await Streams.OnDisconnectAsync(connection.Client, Config.IterStreamLinger).ConfigureAwait(false);
            try
            {
                ClientDisconnected?.Invoke(connection.Client);
            }
            catch (Exception e)
            {
                DaemonLog.Unexpected(Logger, connection.Client, e);
            }
            // As in Python: first the disconnect hook, then the tracked resources are closed.
            await connection.Client.DisposeResourcesAsync(e => DaemonLog.Unexpected(Logger, connection.Client, e)).ConfigureAwait(false);
        }
    }

    /// <summary>Number of client connections currently open.</summary>
    public int ConnectionCount => _connections.Count;

    internal bool IsThreadPoolServer => !string.Equals(Config.ServerType, "multiplex", StringComparison.Ordinal);

    /// <summary>Shuts down (see <see cref="Shutdown"/>).</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        Shutdown();
        _shutdown.Dispose();
    }

    /// <summary>Shuts down and waits for the accept loop to end.</summary>
    public async ValueTask DisposeAsync()
    {
        var loop = _acceptLoop;
        Dispose();
        if (loop is not null) await loop.ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public override string ToString()
        => $"<Pyro4 daemon bound on {LocationUri.Location}, NAT {NatUri?.Location ?? "None"}, {_objects.Count} objects registered, servertype {Config.ServerType}>";
}
