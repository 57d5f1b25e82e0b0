using System.Globalization;

namespace TypedPyro.Cli.Commands.Check;

/// <summary>What <c>typedpyro check</c> was asked about: nothing (the local setup), a URI, or a bare HOST:PORT.</summary>
internal sealed record CheckTarget(PyroUri? Uri, string? Host, int Port)
{
    public bool IsLocal => Uri is null && Host is null;

    /// <summary>Parses the command line's TARGET.</summary>
    /// <exception cref="ArgumentException">Neither a Pyro URI nor HOST:PORT (the message says which part is wrong).</exception>
    public static CheckTarget Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return new CheckTarget(null, null, 0);
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
            if (uri.IsUnixSocket) throw new ArgumentException($"{text}: check probes TCP servers; a Unix domain socket URI is not supported");
            return new CheckTarget(uri, uri.Host, uri.Port ?? 0);
        }
        int colon = text.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int port) || port is < 1 or > 65535)
            throw new ArgumentException($"not a Pyro URI or HOST:PORT: {text}");
        string host = text[..colon];
        if (host.StartsWith('[') && host.EndsWith(']')) host = host[1..^1];
        return new CheckTarget(null, host, port);
    }
}
