using Microsoft.Extensions.Logging;

namespace TypedPyro.Hosting;

/// <summary>The hosted daemon's log messages (never with the HMAC key).</summary>
internal static partial class HostingLog
{
    [LoggerMessage(1, LogLevel.Information, "Pyro daemon started at {Location} serving {Objects} (HMAC key {HmacKey})")]
    public static partial void Started(ILogger logger, string location, string objects, string hmacKey);

    [LoggerMessage(2, LogLevel.Information, "Registered {Name} with the name server at {NameServer}")]
    public static partial void Registered(ILogger logger, string name, string nameServer);

    [LoggerMessage(3, LogLevel.Information, "Removed {Name} from the name server")]
    public static partial void Unregistered(ILogger logger, string name);

    [LoggerMessage(4, LogLevel.Warning, "Could not remove the names from the name server: {Reason}")]
    public static partial void UnregisterFailed(ILogger logger, string reason);

    [LoggerMessage(5, LogLevel.Information, "Pyro daemon stopped")]
    public static partial void Stopped(ILogger logger);
}
