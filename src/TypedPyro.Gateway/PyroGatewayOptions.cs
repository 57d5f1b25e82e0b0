using System.Text;

namespace TypedPyro.Gateway;

/// <summary>
/// Settings of a <see cref="PyroGateway"/> (Python's <c>pyro_app.ns_regex</c>, <c>hmac_key</c>, <c>gateway_key</c>,
/// <c>comm_timeout</c>, plus a few TypedPyro additions). Defaults are Python's.
/// </summary>
public sealed record PyroGatewayOptions
{
    /// <summary>Python's default expose pattern: names starting with <c>http.</c>.</summary>
    public const string DefaultExposePattern = @"http\.";

    /// <summary>Default <see cref="MaxRequestBodySize"/>: 1 MiB.</summary>
    public const long DefaultMaxRequestBodySize = 1024 * 1024;

    /// <summary>
    /// Regular expression for the object names the gateway gives access to, matched at the start of the name like
    /// Python's <c>re.match</c> (a prefix match: <c>http\.</c> allows <c>http.echo</c>). Null or empty exposes every
    /// name, the name server itself included. Default <c>http\.</c>.
    /// </summary>
    /// <remarks>.NET regular expression syntax; Python's <c>(?P&lt;name&gt;...)</c> and <c>(?P=name)</c> groups are
    /// accepted and translated. The same pattern is sent to the name server's <c>list(regex=...)</c> for the web page.</remarks>
    public string? ExposePattern { get; init; } = DefaultExposePattern;

    /// <summary>
    /// The gateway's own API key (Python's <c>PYRO_HTTPGATEWAY_KEY</c>): when set, every call must carry it in the
    /// <c>X-Pyro-Gateway-Key</c> header or the <c>$key</c> parameter, else 403. Null or empty = no key. The web page
    /// itself is served without it, as in Python.
    /// </summary>
    public string? GatewayKey { get; init; }

    /// <summary>HMAC key for the name server and the objects (Python's <c>PYRO_HMAC_KEY</c>); null or empty = none.</summary>
    public byte[]? HmacKey { get; init; }

    /// <summary>
    /// Timeout of every Pyro connection the gateway makes (Python's <c>-t</c>, config COMMTIMEOUT); null = the
    /// configuration's COMMTIMEOUT; zero = none.
    /// </summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>
    /// Host of the name server. Null (the default, as in Python) locates it like Python's <c>locateNS()</c>: NS_HOST
    /// first when it is a loopback name, then a UDP broadcast (BROADCAST_ADDRS, NS_BCPORT), then NS_HOST:NS_PORT.
    /// Set, the name server is at <c>NameServerHost:NameServerPort</c> and nothing is broadcast.
    /// </summary>
    public string? NameServerHost { get; init; }

    /// <summary>Port of the name server when <see cref="NameServerHost"/> is set; null = config NS_PORT.</summary>
    public int? NameServerPort { get; init; }

    /// <summary>The Pyro configuration (NS_HOST, NS_PORT, NS_BCPORT, BROADCAST_ADDRS, COMMTIMEOUT, ...); null = <see cref="PyroConfig.Default"/>.</summary>
    public PyroConfig? Config { get; init; }

    /// <summary>
    /// Largest POST form body read (url-encoded or multipart); larger requests get <c>413</c> with a JSON error body.
    /// Python reads any size. Default 1 MiB.
    /// </summary>
    public long MaxRequestBodySize { get; init; } = DefaultMaxRequestBodySize;

    /// <summary>
    /// How many exposed names the web page lists (Python: 10, the first ten the name server returns, then sorted);
    /// 0 or less = all.
    /// </summary>
    public int PageListLimit { get; init; } = 10;

    /// <summary>
    /// The encoding percent-escapes in parameters are decoded with. Default UTF-8 (what browsers send). Python 4.82's
    /// gateway decodes them as Latin-1 (<c>cgi.parse</c> on a binary stream), so <c>%C3%A9</c> arrives as
    /// <c>"Ã©"</c> there; set <see cref="Encoding.Latin1"/> for byte-for-byte the same arguments.
    /// </summary>
    public Encoding ParameterEncoding { get; init; } = Encoding.UTF8;

    /// <summary>
    /// Where failures are reported (Python prints <c>ERROR handling ...</c> and the traceback to <c>wsgi.errors</c>);
    /// null = nowhere.
    /// </summary>
    public TextWriter? ErrorLog { get; init; }
}
