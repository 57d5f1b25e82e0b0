using Microsoft.Extensions.Logging;

namespace TypedPyro;

/// <summary>The daemon's log messages (compile-time generated, no allocation when the level is off).</summary>
internal static partial class DaemonLog
{
    [LoggerMessage(1, LogLevel.Information, "Pyro daemon listening on {Location}")]
    public static partial void Listening(ILogger logger, string location);

    [LoggerMessage(2, LogLevel.Debug, "Client connected: {Client}")]
    public static partial void ClientConnected(ILogger logger, PyroClientConnection client);

    [LoggerMessage(3, LogLevel.Debug, "Client disconnected: {Client}")]
    public static partial void ClientDisconnected(ILogger logger, PyroClientConnection client);

    [LoggerMessage(4, LogLevel.Information, "Handshake with {Client} refused: {Reason}")]
    public static partial void HandshakeRefused(ILogger logger, PyroClientConnection client, string reason);

    [LoggerMessage(5, LogLevel.Warning, "Closing connection {Client}: {Reason}")]
    public static partial void ProtocolViolation(ILogger logger, PyroClientConnection client, string reason);

    [LoggerMessage(6, LogLevel.Debug, "Exception while handling a call of {Method}: {Message}")]
    public static partial void CallFailed(ILogger logger, string method, string message);

    [LoggerMessage(7, LogLevel.Error, "Unexpected error serving {Client}")]
    public static partial void Unexpected(ILogger logger, PyroClientConnection client, Exception exception);

    [LoggerMessage(8, LogLevel.Warning, "Refusing connection from {Client}: all {Limit} workers are busy")]
    public static partial void NoFreeWorkers(ILogger logger, PyroClientConnection client, int limit);

    [LoggerMessage(10, LogLevel.Warning, "Host name '{Host}' resolves to the loopback address {Address}: clients on other machines cannot use this daemon's URIs. Check the DNS or hosts file setup, or bind to a real address.")]
    public static partial void LoopbackHostName(ILogger logger, string host, string address);

    [LoggerMessage(11, LogLevel.Information, "TLS connection from {Client} refused: {Reason}")]
    public static partial void TlsRefused(ILogger logger, string client, string reason);

    [LoggerMessage(9, LogLevel.Error, "Oneway call of {Method} failed")]
    public static partial void OnewayFailed(ILogger logger, string method, Exception exception);
}
