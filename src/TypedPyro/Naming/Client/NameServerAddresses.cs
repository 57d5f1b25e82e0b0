using System.Globalization;

namespace TypedPyro.Naming;

/// <summary>
/// NS_HOST as a list of name servers for fail-over: <c>host1,host2:9091,[::1]:9092</c>. Each item is a host with an
/// optional port (default NS_PORT); an IPv6 address with a port goes in brackets. One item is the classic NS_HOST.
/// </summary>
internal static class NameServerAddresses
{
    /// <summary>Whether <paramref name="nsHost"/> names more than one name server.</summary>
    public static bool IsList(string? nsHost) => nsHost is not null && nsHost.Contains(',');

    /// <summary>The (host, port) pairs in order; empty items are skipped.</summary>
    /// <exception cref="NamingException">An item's port is not a number from 1 to 65535.</exception>
    public static List<(string Host, int Port)> Parse(string nsHost, int defaultPort)
    {
        var result = new List<(string, int)>();
        foreach (var raw in nsHost.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            string host = raw;
            string? port = null;
            if (raw.StartsWith('[') && raw.IndexOf(']') is int close and > 0)
            {
                host = raw[1..close];
                if (raw.Length > close + 1 && raw[close + 1] == ':') port = raw[(close + 2)..];
            }
            else if (raw.IndexOf(':') is int colon and > 0 && raw.IndexOf(':', colon + 1) < 0)
            {
                host = raw[..colon];
                port = raw[(colon + 1)..];
            }
            int number = defaultPort;
            if (port is not null && (!int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out number) || number is < 1 or > 65535))
                throw new NamingException($"invalid name server address '{raw}' in NS_HOST: the port must be a number from 1 to 65535");
            result.Add((host, number));
        }
        return result;
    }
}
