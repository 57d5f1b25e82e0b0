using System.Collections.Concurrent;
using System.Net.Sockets;

namespace TypedPyro.Naming;

/// <summary>
/// NS_AUTOCLEAN (Python's <c>AutoCleaner</c>): every NS_AUTOCLEAN seconds tries a connection to each registered
/// <c>PYRO:</c> URI and removes the names whose object could not be reached for 20 seconds.
/// </summary>
/// <remarks>
/// Unlike Python, entries that are not <c>PYRO:</c> URIs (PYRONAME, PYROMETA) are left alone. On a
/// <see cref="ISharedNameServerStorage"/> only the name server holding the storage's <c>autoclean</c> lease cleans
/// (the others skip their rounds), and a name is removed only while it still has the URI found unreachable, so a
/// registration made anew meanwhile through another name server stays.
/// </remarks>
internal sealed class NameServerAutoCleaner : IDisposable
{
    public static readonly TimeSpan MinimumInterval = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan LoopDelay = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan MaxUnreachable = TimeSpan.FromSeconds(20);

    private readonly NameServer _nameServer;
    private readonly PyroConfig _config;
    private readonly ConcurrentDictionary<string, DateTime> _unreachable = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private readonly string _leaseHolder = Guid.NewGuid().ToString("N");
    private DateTime _lastCleaned = DateTime.UtcNow;

    public NameServerAutoCleaner(NameServer nameServer, PyroConfig config)
    {
        _nameServer = nameServer;
        _config = config;
    }

    public void Start() => _ = Task.Run(LoopAsync);

    private async Task LoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(LoopDelay, _stop.Token).ConfigureAwait(false);
                if (DateTime.UtcNow - _lastCleaned < _config.NsAutoClean) continue;
                if (!HoldsLease())
                {
                    _unreachable.Clear(); // another name server cleans; its view of what is unreachable is the one that counts
                    _lastCleaned = DateTime.UtcNow;
                    continue;
                }
                await CleanOnceAsync(_stop.Token).ConfigureAwait(false);
                _lastCleaned = DateTime.UtcNow;
            }
            catch (OperationCanceledException)
            {
                break;
            }
            catch (PyroException)
            {
                // A storage error: try again next round.
            }
        }
    }

    // Renewed each round; it lapses three rounds after its holder stops, and another name server takes over. A round
    // that outlasts it may overlap another's, which is harmless: removals check the URI.
    private bool HoldsLease() => _nameServer.Storage is not ISharedNameServerStorage shared
        || shared.TryHoldLease("autoclean", _leaseHolder, _config.NsAutoClean * 3);

    internal async Task CleanOnceAsync(CancellationToken cancellationToken)
    {
        var timeout = _config.CommTimeout > TimeSpan.Zero ? _config.CommTimeout : TimeSpan.FromSeconds(5);
        foreach (var registration in _nameServer.List())
        {
            if (registration.Name is PyroNames.NameServerObjectId or PyroNames.DaemonObjectId) continue;
            if (!PyroUri.TryParse(registration.Uri, out var uri) || uri.Protocol != PyroUriProtocol.Pyro) continue;
            bool reachable;
            try
            {
                using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                attempt.CancelAfter(timeout);
                using var socket = await Transport.PyroEndpoint.ConnectAsync(uri, _config.PreferIpVersion, attempt.Token).ConfigureAwait(false);
                reachable = true;
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
            {
                reachable = false;
            }
            if (reachable)
            {
                _unreachable.TryRemove(registration.Name, out _);
                continue;
            }
            var since = _unreachable.GetOrAdd(registration.Name, DateTime.UtcNow);
            if (DateTime.UtcNow - since >= MaxUnreachable)
            {
                if (_nameServer.Storage is ISharedNameServerStorage shared) shared.RemoveIfUri(registration.Name, registration.Uri);
                else _nameServer.Remove(registration.Name);
                _unreachable.TryRemove(registration.Name, out _);
            }
        }
    }

    public void Dispose()
    {
        if (_stop.IsCancellationRequested) return;
        _stop.Cancel();
    }
}
