using System.Globalization;

namespace TypedPyro.Cli.Commands.Check;

/// <summary>
/// What <c>typedpyro check</c> was asked about: nothing (the local setup), a URI (<c>PYRO:</c> on TCP or on a Unix
/// domain socket, or a name to resolve), or a bare HOST:PORT, held as the URI of its daemon object.
/// </summary>
internal sealed record CheckTarget(PyroUri? Uri, PyroUri? Daemon)
{
    public bool IsLocal => Uri is null && Daemon is null;

    /// <summary>The host on the command line (a name server's for PYRONAME); null for a Unix socket or the local setup.</summary>
    public string? Host => Uri?.Host ?? Daemon?.Host;

    /// <summary>Parses the command line's TARGET.</summary>
    /// <exception cref="ArgumentException">Neither a Pyro URI nor HOST:PORT (the message says which part is wrong).</exception>
    public static CheckTarget Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return new CheckTarget(null, null);
        if (text.StartsWith("PYRO", StringComparison.OrdinalIgnoreCase) && text.Contains(':', StringComparison.Ordinal))
        {
            PyroUri uri;
            try
            {
                uri = PyroUri.Parse(text);
            }
            catch (Exception e) when (e is PyroException or ArgumentException or FormatException)
            {
                throw new ArgumentException($"not a valid Pyro URI: {text} ({e.Message})", e);
            }
            // Python accepts PYRO:obj@:port, which names no server to check.
            if (uri.Protocol == PyroUriProtocol.Pyro && uri.Location is null) throw new ArgumentException($"{text}: the URI names no host");
            return new CheckTarget(uri, null);
        }
        int colon = text.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int port) || port is < 1 or > 65535)
            throw new ArgumentException($"not a Pyro URI or HOST:PORT: {text}");
        string host = text[..colon];
        if (host.StartsWith('[') && host.EndsWith(']')) host = host[1..^1];
        try
        {
            return new CheckTarget(null, new PyroUri(PyroNames.DaemonObjectId, host, port));
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"not a Pyro URI or HOST:PORT: {text} ({e.Message})", e);
        }
    }
}
