namespace TypedPyro;

/// <summary>Where and how a <see cref="PyroDaemon"/> listens (the arguments of Python's <c>Pyro4.Daemon(...)</c>).</summary>
public sealed record PyroDaemonOptions
{
    /// <summary>Host name or address to bind to and to put in URIs; null = config HOST (<c>localhost</c>).</summary>
    public string? Host { get; init; }

    /// <summary>TCP port; 0 picks a free one.</summary>
    public int Port { get; init; }

    /// <summary>Path of a Unix domain socket to listen on instead of TCP.</summary>
    public string? UnixSocket { get; init; }

    /// <summary>External host name put in URIs when the daemon is behind NAT; null = config NATHOST.</summary>
    public string? NatHost { get; init; }

    /// <summary>External port for NAT; 0 = the real bound port; null = config NATPORT.</summary>
    public int? NatPort { get; init; }

    /// <summary>Shared HMAC key; null = none. The command-line tools read <c>PYRO_HMAC_KEY</c>.</summary>
    public byte[]? HmacKey { get; init; }

    /// <summary>TLS settings in code; setting them turns TLS on. Null = config SSL and the SSL_* items decide.</summary>
    public PyroTlsOptions? Tls { get; init; }

    /// <summary>The Pyro configuration items; null = <see cref="PyroConfig.Default"/> (defaults plus PYRO_* variables).</summary>
    public PyroConfig? Config { get; init; }
}
