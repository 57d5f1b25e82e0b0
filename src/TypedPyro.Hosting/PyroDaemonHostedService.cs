using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TypedPyro.Naming;

namespace TypedPyro.Hosting;

/// <summary>
/// Runs the hosted daemon with the host: binds and registers the DI-made objects on start (and their names with the
/// name server, when asked); on stop removes the names, lets the calls being served finish within the host's shutdown
/// timeout, and closes.
/// </summary>
internal sealed class PyroDaemonHostedService(
    IOptions<PyroHostingOptions> options,
    IEnumerable<PyroObjectRegistration> registrations,
    IServiceProvider services,
    PyroDaemonHost host,
    ILoggerFactory loggerFactory) : IHostedService, IAsyncDisposable
{
    private readonly ILogger _logger = loggerFactory.CreateLogger<PyroDaemonHostedService>();
    private PyroDaemon? _daemon;
    private readonly List<string> _registeredNames = [];

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var config = settings.BuildConfig();
        var hmacKey = settings.GetHmacKey();
        var daemon = new PyroDaemon(new PyroDaemonOptions { Config = config, Port = settings.Port, UnixSocket = settings.UnixSocket, HmacKey = hmacKey }, loggerFactory.CreateLogger<PyroDaemon>());
        _daemon = daemon;
        var uris = new List<(string, PyroUri)>();
        foreach (var registration in registrations) uris.Add((registration.ObjectId, registration.Register(daemon, services)));
        daemon.Start();
        HostingLog.Started(_logger, daemon.LocationUri.Location!, string.Join(", ", uris.Select(u => u.Item1)), hmacKey is null ? "not set" : "set");
        host.Started(daemon, uris);

        if (!settings.RegisterWithNameServer) return;
        await using var ns = await LocateNameServerAsync(config, hmacKey, cancellationToken).ConfigureAwait(false);
        foreach (var registration in registrations.Where(r => r.RegisterWithNameServer))
        {
            await ns.RegisterAsync(registration.ObjectId, host.UriOf(registration.ObjectId), cancellationToken: cancellationToken).ConfigureAwait(false);
            lock (_registeredNames) _registeredNames.Add(registration.ObjectId);
            HostingLog.Registered(_logger, registration.ObjectId, ns.Uri.ToString());
        }
        host.NameServerUri = ns.Uri;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        var daemon = _daemon;
        if (daemon is null) return;
        // The names go first: a client that looks one up while calls drain would find a daemon no longer accepting.
        await UnregisterAsync(daemon, cancellationToken).ConfigureAwait(false);
        await daemon.ShutdownGracefullyAsync(cancellationToken).ConfigureAwait(false);
        HostingLog.Stopped(_logger);
    }

    private async Task UnregisterAsync(PyroDaemon daemon, CancellationToken cancellationToken)
    {
        string[] names;
        lock (_registeredNames) names = [.. _registeredNames];
        if (names.Length == 0) return;
        try
        {
            await using var ns = await LocateNameServerAsync(daemon.Config, daemon.HmacKey, cancellationToken).ConfigureAwait(false);
            foreach (var name in names)
            {
                await ns.RemoveAsync(name, cancellationToken: cancellationToken).ConfigureAwait(false);
                lock (_registeredNames) _registeredNames.Remove(name);
                HostingLog.Unregistered(_logger, name);
            }
        }
        catch (Exception e) when (e is PyroException or OperationCanceledException)
        {
            // A name server that went away first must not keep the host from stopping.
            HostingLog.UnregisterFailed(_logger, e.Message);
        }
    }

    internal static Task<NameServerClient> LocateNameServerAsync(PyroConfig config, byte[]? hmacKey, CancellationToken cancellationToken)
        => NameServerLocator.LocateAsync(config.NsHost, config.NsPort, broadcast: false, new PyroProxyOptions { Config = config, HmacKey = hmacKey }, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (_daemon is { } daemon) await daemon.DisposeAsync().ConfigureAwait(false);
    }
}
