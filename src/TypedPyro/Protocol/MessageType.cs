namespace TypedPyro.Protocol;

/// <summary>Pyro4 message types (header field at offset 6).</summary>
public enum MessageType : ushort
{
    /// <summary>Proxy to daemon: connection handshake request, the first message on a connection.</summary>
    Connect = 1,
    /// <summary>Daemon to proxy: handshake accepted.</summary>
    ConnectOk = 2,
    /// <summary>Daemon to proxy: handshake refused; the payload is the reason and the daemon then closes.</summary>
    ConnectFail = 3,
    /// <summary>Proxy to daemon: a method call.</summary>
    Invoke = 4,
    /// <summary>Daemon to proxy: a return value or an exception.</summary>
    Result = 5,
    /// <summary>Both ways: ping request and pong reply.</summary>
    Ping = 6,
}
