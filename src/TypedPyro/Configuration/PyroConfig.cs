using System.Globalization;
using TypedPyro.Serialization;

namespace TypedPyro;

/// <summary>
/// The Pyro4 configuration items (Python's <c>Pyro4.config</c>), with Pyro's names in PascalCase and Pyro 4.82's defaults.
/// </summary>
/// <remarks>
/// <para>
/// Every item <c>X</c> can be overridden by the environment variable <c>PYRO_X</c> (see <see cref="FromEnvironment"/>),
/// with Pyro's parsing rules. Durations (Pyro's float seconds: COMMTIMEOUT, POLLTIMEOUT, NS_AUTOCLEAN,
/// ITER_STREAM_LIFETIME, ITER_STREAM_LINGER) are <see cref="TimeSpan"/>s, where <see cref="TimeSpan.Zero"/> means what
/// Pyro's <c>0.0</c> means (no timeout, off, unlimited).
/// </para>
/// <para>
/// Instances are mutable and not thread-safe: configure one, then hand it over. <see cref="Default"/> is a process-wide
/// instance like Python's global <c>Pyro4.config</c>; components should take a <see cref="Clone"/> when they start.
/// <c>docs/configuration.md</c> lists every item and whether TypedPyro honours it yet.
/// </para>
/// </remarks>
public sealed partial class PyroConfig
{
    private static readonly Lazy<PyroConfig> s_default = new(() => FromEnvironment(), LazyThreadSafetyMode.ExecutionAndPublication);

    private HashSet<string> _serializersAccepted = new(["serpent", "marshal", "json"], StringComparer.Ordinal);

    /// <summary>
    /// The process-wide configuration, read lazily from the process environment on first use (Python reads it at import).
    /// It is shared and mutable, like <c>Pyro4.config</c>.
    /// </summary>
    /// <exception cref="FormatException">A <c>PYRO_*</c> environment variable has an invalid value.</exception>
    public static PyroConfig Default => s_default.Value;

    /// <summary>HOST (<c>localhost</c>): host name or IP address daemons bind to and put in their URIs.</summary>
    public string Host { get; set => field = value ?? throw new ArgumentNullException(nameof(value)); } = "localhost";

    /// <summary>
    /// NS_HOST (<c>localhost</c>): where clients look for the name server. Its default is HOST's default;
    /// <c>PYRO_HOST</c> does not change it. A comma list (<c>ns1,ns2:9091</c>) names several name servers sharing one
    /// registry: PYRONAME resolution and the locator use the first that answers (Python's clients take one host).
    /// </summary>
    public string NsHost { get; set => field = value ?? throw new ArgumentNullException(nameof(value)); } = "localhost";

    /// <summary>NS_PORT (9090): the name server's TCP port, also the port of PYRONAME/PYROMETA locations without one.</summary>
    public int NsPort { get; set; } = PyroUri.DefaultNsPort;

    /// <summary>NS_BCPORT (9091): UDP port of the name server's broadcast responder.</summary>
    public int NsBcPort { get; set; } = 9091;

    /// <summary>NS_BCHOST (<c>null</c>): bind address of the broadcast responder; <c>null</c> = all interfaces.</summary>
    public string? NsBcHost { get; set; }

    /// <summary>NS_AUTOCLEAN (0.0 s): name server autoclean period; zero = off, else at least 3 seconds.</summary>
    public TimeSpan NsAutoClean { get; set; }

    /// <summary>NATHOST (<c>null</c>): external host name daemons put in their URIs (behind NAT).</summary>
    public string? NatHost { get; set; }

    /// <summary>NATPORT (0): external port put in URIs; 0 = the daemon's real port.</summary>
    public int NatPort { get; set; }

    /// <summary>COMPRESSION (False): zlib-compress message payloads when that makes them smaller.</summary>
    public bool Compression { get; set; }

    /// <summary>SERVERTYPE (<c>thread</c>): <c>thread</c> (thread pool) or <c>multiplex</c> (select loop); other values fail when a daemon starts.</summary>
    public string ServerType { get; set => field = value ?? throw new ArgumentNullException(nameof(value)); } = "thread";

    /// <summary>COMMTIMEOUT (0.0 s): socket timeout of proxies and server connections; zero = none.</summary>
    public TimeSpan CommTimeout { get; set; }

    /// <summary>POLLTIMEOUT (2.0 s): select timeout of the multiplex server and housekeeping period.</summary>
    public TimeSpan PollTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>ONEWAY_THREADED (True): run oneway calls in their own thread.</summary>
    public bool OnewayThreaded { get; set; } = true;

    /// <summary>DETAILED_TRACEBACK (False): tracebacks with local variables in remote exceptions.</summary>
    public bool DetailedTraceback { get; set; }

    /// <summary>SOCK_REUSE (True): set SO_REUSEADDR on server sockets.</summary>
    public bool SockReuse { get; set; } = true;

    /// <summary>SOCK_NODELAY (False): set TCP_NODELAY on sockets.</summary>
    public bool SockNoDelay { get; set; }

    /// <summary>PREFER_IP_VERSION (4): 4, 6, or 0 (operating system's choice) for name resolution.</summary>
    public int PreferIpVersion { get; set; } = 4;

    /// <summary>THREADPOOL_SIZE (40): maximum worker threads, i.e. simultaneous connections, of the thread server.</summary>
    public int ThreadPoolSize { get; set; } = 40;

    /// <summary>THREADPOOL_SIZE_MIN (4): worker threads kept alive.</summary>
    public int ThreadPoolSizeMin { get; set; } = 4;

    /// <summary>AUTOPROXY (True): replace registered Pyro objects in results by proxies.</summary>
    public bool AutoProxy { get; set; } = true;

    /// <summary>PICKLE_PROTOCOL_VERSION (5, Python's <c>pickle.HIGHEST_PROTOCOL</c>): unused, TypedPyro never speaks pickle.</summary>
    public int PickleProtocolVersion { get; set; } = 5;

    /// <summary>
    /// BROADCAST_ADDRS (<c>"&lt;broadcast&gt;, 0.0.0.0"</c>): comma-separated addresses for name server broadcast lookups,
    /// kept as Pyro's raw string; see <see cref="GetBroadcastAddresses"/>.
    /// </summary>
    public string BroadcastAddrs { get; set => field = value ?? throw new ArgumentNullException(nameof(value)); } = "<broadcast>, 0.0.0.0";

    /// <summary>MAX_MESSAGE_SIZE (0): maximum data plus annotation bytes of one message; 0 = unlimited.</summary>
    public long MaxMessageSize { get; set; }

    /// <summary>FLAME_ENABLED (False): allow the Flame remote module server (which needs pickle).</summary>
    public bool FlameEnabled { get; set; }

    /// <summary>SERIALIZER (<c>serpent</c>): serializer name proxies use.</summary>
    public string Serializer { get; set => field = value ?? throw new ArgumentNullException(nameof(value)); } = "serpent";

    /// <summary>
    /// SERIALIZERS_ACCEPTED (<c>{serpent, marshal, json}</c>): names of the serializers a daemon accepts. The getter
    /// returns the live set (add and remove work); the setter copies. Unknown names are only an error when used
    /// (<see cref="GetAcceptedSerializerIds"/>), as in Pyro.
    /// </summary>
    public ISet<string> SerializersAccepted
    {
        get => _serializersAccepted;
        set => _serializersAccepted = new HashSet<string>(value ?? throw new ArgumentNullException(nameof(value)), StringComparer.Ordinal);
    }

    /// <summary>LOGWIRE (False): log every wire message.</summary>
    public bool LogWire { get; set; }

    /// <summary>METADATA (True): proxies fetch metadata on connect (FLAGS_META_ON_CONNECT).</summary>
    public bool Metadata { get; set; } = true;

    /// <summary>REQUIRE_EXPOSE (True): only exposed members are remotely accessible.</summary>
    public bool RequireExpose { get; set; } = true;

    /// <summary>USE_MSG_WAITALL (True, False on Windows): Python's socket receive strategy; irrelevant to the wire.</summary>
    public bool UseMsgWaitAll { get; set; } = !OperatingSystem.IsWindows();

    /// <summary>JSON_MODULE (<c>json</c>): the Python module Pyro's json serializer uses; informational in .NET.</summary>
    public string JsonModule { get; set => field = value ?? throw new ArgumentNullException(nameof(value)); } = "json";

    /// <summary>MAX_RETRIES (0): automatic retries of a call after ConnectionClosedError/TimeoutError.</summary>
    public int MaxRetries { get; set; }

    /// <summary>DILL_PROTOCOL_VERSION (-1, meaning dill is not available): unused, TypedPyro never speaks dill.</summary>
    public int DillProtocolVersion { get; set; } = -1;

    /// <summary>ITER_STREAMING (True): stream remote iterators and generators item by item.</summary>
    public bool IterStreaming { get; set; } = true;

    /// <summary>ITER_STREAM_LIFETIME (0.0 s): maximum age of an item stream; zero = unlimited.</summary>
    public TimeSpan IterStreamLifetime { get; set; }

    /// <summary>ITER_STREAM_LINGER (30.0 s): how long streams survive their client's disconnect.</summary>
    public TimeSpan IterStreamLinger { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>SSL (False): use TLS.</summary>
    public bool Ssl { get; set; }

    /// <summary>SSL_REQUIRECLIENTCERT (False): daemons demand client certificates (two-way TLS).</summary>
    public bool SslRequireClientCert { get; set; }

    /// <summary>SSL_CACERTS (empty): CA file or directory for certificate verification.</summary>
    public string SslCaCerts { get; set => field = value ?? throw new ArgumentNullException(nameof(value)); } = "";

    /// <summary>SSL_SERVERCERT (empty): the daemon's certificate file.</summary>
    public string SslServerCert { get; set => field = value ?? throw new ArgumentNullException(nameof(value)); } = "";

    /// <summary>SSL_SERVERKEY (empty): the daemon's private key file.</summary>
    public string SslServerKey { get; set => field = value ?? throw new ArgumentNullException(nameof(value)); } = "";

    /// <summary>SSL_SERVERKEYPASSWD (empty): password of the daemon's private key.</summary>
    public string SslServerKeyPasswd { get; set => field = value ?? throw new ArgumentNullException(nameof(value)); } = "";

    /// <summary>SSL_CLIENTCERT (empty): the proxy's certificate file.</summary>
    public string SslClientCert { get; set => field = value ?? throw new ArgumentNullException(nameof(value)); } = "";

    /// <summary>SSL_CLIENTKEY (empty): the proxy's private key file.</summary>
    public string SslClientKey { get; set => field = value ?? throw new ArgumentNullException(nameof(value)); } = "";

    /// <summary>SSL_CLIENTKEYPASSWD (empty): password of the proxy's private key.</summary>
    public string SslClientKeyPasswd { get; set => field = value ?? throw new ArgumentNullException(nameof(value)); } = "";

    /// <summary>
    /// <c>PYRO_LOGLEVEL</c> (environment only, not a Pyro config item): Python's logging level name; <c>null</c> (unset)
    /// means Pyro logging is off. TypedPyro logs through <c>Microsoft.Extensions.Logging</c> and only reports this value.
    /// </summary>
    public string? LogLevel { get; set; }

    /// <summary>
    /// <c>PYRO_LOGFILE</c> (environment only, not a Pyro config item): Python's log file name; <c>null</c> when unset
    /// (Python then uses <c>pyro.log</c>), <c>{stderr}</c> for standard error. TypedPyro only reports this value.
    /// </summary>
    public string? LogFile { get; set; }

    /// <summary>The names of Pyro's configuration items in Pyro's own order (<c>Configuration.__slots__</c>).</summary>
    public static IReadOnlyList<string> ItemNames => s_itemNames;

    /// <summary>
    /// Pyro's defaults overridden by <c>PYRO_&lt;ITEM&gt;</c> variables (and <c>PYRO_LOGLEVEL</c>, <c>PYRO_LOGFILE</c>),
    /// parsed the way Pyro 4.82 parses them.
    /// </summary>
    /// <param name="environment">The variables to read (a missing or null value means unset); <c>null</c> reads the process
    /// environment.</param>
    /// <remarks>
    /// Booleans accept <c>0/off/no/false</c> and <c>1/yes/on/true</c> in any case. Integers and floats are read like
    /// Python's <c>int()</c>/<c>float()</c> (surrounding whitespace, a sign, <c>_</c> between digits; invariant culture).
    /// Durations are float seconds and must be finite and not negative. NATHOST and NS_BCHOST take the raw string;
    /// SERIALIZERS_ACCEPTED is split on <c>,</c> without trimming. PYRO_HOST does not change NS_HOST.
    /// </remarks>
    /// <exception cref="FormatException">A variable has an invalid value; the message names the variable.</exception>
    public static PyroConfig FromEnvironment(IReadOnlyDictionary<string, string?>? environment = null)
    {
        Func<string, string?> lookup = environment is null
            ? Environment.GetEnvironmentVariable
            : name => environment.TryGetValue(name, out var value) ? value : null;
        var config = new PyroConfig();
        foreach (var item in Items)
        {
            var variable = EnvironmentPrefix + item.Name;
            if (lookup(variable) is string text) item.Apply(config, variable, text);
        }
        config.LogLevel = lookup(EnvironmentPrefix + "LOGLEVEL");
        config.LogFile = lookup(EnvironmentPrefix + "LOGFILE");
        return config;
    }

    /// <summary>A deep copy (the serializer set is copied too).</summary>
    public PyroConfig Clone()
    {
        var copy = (PyroConfig)MemberwiseClone();
        copy._serializersAccepted = new HashSet<string>(_serializersAccepted, StringComparer.Ordinal);
        return copy;
    }

    /// <summary>A copy with <paramref name="change"/> applied: <c>PyroConfig.Default.With(c =&gt; c.ServerType = "multiplex")</c>.</summary>
    public PyroConfig With(Action<PyroConfig> change)
    {
        ArgumentNullException.ThrowIfNull(change);
        var copy = Clone();
        change(copy);
        return copy;
    }

    /// <summary>
    /// Every item with its current value formatted as Python's <c>str()</c> would (<c>True</c>, <c>None</c>, <c>2.0</c>,
    /// <c>{'json', 'marshal', 'serpent'}</c>), including <c>LOGFILE</c> and <c>LOGLEVEL</c>, sorted by name as
    /// <c>pyro4-check-config</c> prints them. Set elements are sorted (Python's set order is arbitrary).
    /// </summary>
    public IReadOnlyList<(string PyroName, string Value)> ListItems()
    {
        var result = new List<(string PyroName, string Value)>(Items.Length + 2);
        foreach (var item in Items) result.Add((item.Name, item.Format(this)));
        result.Add(("LOGFILE", FormatString(LogFile)));
        result.Add(("LOGLEVEL", FormatString(LogLevel)));
        result.Sort((a, b) => string.CompareOrdinal(a.PyroName, b.PyroName));
        return result;
    }

    /// <summary>
    /// BROADCAST_ADDRS as a list, like Pyro's <c>parseAddressesString</c>: split on <c>,</c>, each part stripped, and
    /// <c>''</c> meaning the empty string.
    /// </summary>
    public IReadOnlyList<string> GetBroadcastAddresses()
    {
        var parts = BroadcastAddrs.Split(',');
        var result = new string[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            var address = StripPython(parts[i]);
            result[i] = address == "''" ? "" : address;
        }
        return result;
    }

    /// <summary>The serializer ids named by <see cref="SerializersAccepted"/>.</summary>
    /// <exception cref="SerializeException">A name is not one of Pyro's serializer names; the message is Python's
    /// (<c>serializer ' json' is unknown or not available</c>).</exception>
    public IReadOnlySet<SerializerId> GetAcceptedSerializerIds()
    {
        var ids = new HashSet<SerializerId>();
        foreach (var name in _serializersAccepted.Order(StringComparer.Ordinal))
        {
            if (!TryGetSerializerId(name, out var id)) throw new SerializeException("serializer '" + name + "' is unknown or not available");
            ids.Add(id);
        }
        return ids;
    }

    /// <summary>
    /// Maps one of Pyro's serializer names (<c>serpent</c>, <c>json</c>, <c>marshal</c>, <c>pickle</c>, <c>dill</c>,
    /// <c>msgpack</c>, <c>cloudpickle</c>; exact, case-sensitive) to its wire id. Whether TypedPyro implements that
    /// serializer is a separate question.
    /// </summary>
    public static bool TryGetSerializerId(string name, out SerializerId id)
    {
        ArgumentNullException.ThrowIfNull(name);
        (bool found, id) = name switch
        {
            "serpent" => (true, SerializerId.Serpent),
            "json" => (true, SerializerId.Json),
            "marshal" => (true, SerializerId.Marshal),
            "pickle" => (true, SerializerId.Pickle),
            "dill" => (true, SerializerId.Dill),
            "msgpack" => (true, SerializerId.MsgPack),
            "cloudpickle" => (true, SerializerId.CloudPickle),
            _ => (false, default),
        };
        return found;
    }

    private static string StripPython(string text)
    {
        int start = 0, end = text.Length;
        while (start < end && PythonText.IsSpace(text[start])) start++;
        while (end > start && PythonText.IsSpace(text[end - 1])) end--;
        return text[start..end];
    }

    private static string FormatString(string? value) => value ?? "None";

    private static string FormatBool(bool value) => value ? "True" : "False";

    private static string FormatSeconds(TimeSpan value) => PythonFloat.Format(value.TotalSeconds);

    private static string FormatSet(IEnumerable<string> set)
    {
        var items = set.Order(StringComparer.Ordinal).Select(PythonText.Repr).ToList();
        return items.Count == 0 ? "set()" : "{" + string.Join(", ", items) + "}";
    }

    private static string FormatInt(long value) => value.ToString(CultureInfo.InvariantCulture);
}
