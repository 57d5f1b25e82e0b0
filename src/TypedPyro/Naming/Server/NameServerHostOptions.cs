using Microsoft.Extensions.Logging;

namespace TypedPyro.Naming;

/// <summary>How a <see cref="NameServerHost"/> runs (the options of <c>pyro4-ns</c> and Python's <c>startNS</c>).</summary>
public sealed record NameServerHostOptions
{
    /// <summary>Host to bind the name server on; null = config HOST (<c>localhost</c>).</summary>
    public string? Host { get; init; }

    /// <summary>TCP port; null = config NS_PORT (9090); 0 = a free port.</summary>
    public int? Port { get; init; }

    /// <summary>Unix domain socket to listen on instead of TCP (no broadcast responder then).</summary>
    public string? UnixSocket { get; init; }

    /// <summary>External host for NAT; null = config NATHOST.</summary>
    public string? NatHost { get; init; }

    /// <summary>External port for NAT; null = config NATPORT; 0 = the bound port.</summary>
    public int? NatPort { get; init; }

    /// <summary><c>memory</c> (default) or <c>sql:&lt;file&gt;</c>; ignored when <see cref="StorageProvider"/> is set.</summary>
    public string? Storage { get; init; }

    /// <summary>A storage to use instead of <see cref="Storage"/>; the host disposes it.</summary>
    public INameServerStorage? StorageProvider { get; init; }

    /// <summary>
    /// Start the UDP broadcast responder (default true). As in Python it is never started for a name server on a
    /// loopback address, on IPv6 or on a Unix socket.
    /// </summary>
    public bool EnableBroadcast { get; init; } = true;

    /// <summary>Address the broadcast responder binds to; null = config NS_BCHOST (all interfaces).</summary>
    public string? BroadcastHost { get; init; }

    /// <summary>UDP port of the broadcast responder; null = config NS_BCPORT (9091); 0 = a free port.</summary>
    public int? BroadcastPort { get; init; }

    /// <summary>Shared HMAC key; null = none.</summary>
    public byte[]? HmacKey { get; init; }

    /// <summary>Configuration; null = <see cref="PyroConfig.Default"/>. NS_AUTOCLEAN turns on the auto-cleaner.</summary>
    public PyroConfig? Config { get; init; }

    /// <summary>Logger for the daemon and the auto-cleaner.</summary>
    public ILogger<PyroDaemon>? Logger { get; init; }
}
