using System.Numerics;

namespace TypedPyro;

public sealed partial class PyroConfig
{
    private const string EnvironmentPrefix = "PYRO_";

    /// <summary>One configuration item: its Pyro name, how to print it, and how to apply an environment value.</summary>
    private sealed class Item(string name, Func<PyroConfig, string> format, Action<PyroConfig, string, string> apply)
    {
        public string Name { get; } = name;

        public Func<PyroConfig, string> Format { get; } = format;

        /// <summary>(config, variable name, raw value): parse and store, or throw <see cref="FormatException"/>.</summary>
        public Action<PyroConfig, string, string> Apply { get; } = apply;
    }

    // Pyro 4.82's Configuration.__slots__, in order (the order in which Python applies environment variables).
    private static readonly Item[] Items =
    [
        Str("HOST", c => c.Host, (c, v) => c.Host = v),
        Str("NS_HOST", c => c.NsHost, (c, v) => c.NsHost = v),
        Int("NS_PORT", c => c.NsPort, (c, v) => c.NsPort = v),
        Int("NS_BCPORT", c => c.NsBcPort, (c, v) => c.NsBcPort = v),
        NullableStr("NS_BCHOST", c => c.NsBcHost, (c, v) => c.NsBcHost = v),
        Seconds("NS_AUTOCLEAN", c => c.NsAutoClean, (c, v) => c.NsAutoClean = v),
        Bool("COMPRESSION", c => c.Compression, (c, v) => c.Compression = v),
        Str("SERVERTYPE", c => c.ServerType, (c, v) => c.ServerType = v),
        Seconds("COMMTIMEOUT", c => c.CommTimeout, (c, v) => c.CommTimeout = v),
        Seconds("POLLTIMEOUT", c => c.PollTimeout, (c, v) => c.PollTimeout = v),
        Bool("ONEWAY_THREADED", c => c.OnewayThreaded, (c, v) => c.OnewayThreaded = v),
        Bool("DETAILED_TRACEBACK", c => c.DetailedTraceback, (c, v) => c.DetailedTraceback = v),
        Bool("SOCK_REUSE", c => c.SockReuse, (c, v) => c.SockReuse = v),
        Bool("SOCK_NODELAY", c => c.SockNoDelay, (c, v) => c.SockNoDelay = v),
        Int("PREFER_IP_VERSION", c => c.PreferIpVersion, (c, v) => c.PreferIpVersion = v),
        Int("THREADPOOL_SIZE", c => c.ThreadPoolSize, (c, v) => c.ThreadPoolSize = v),
        Int("THREADPOOL_SIZE_MIN", c => c.ThreadPoolSizeMin, (c, v) => c.ThreadPoolSizeMin = v),
        Bool("AUTOPROXY", c => c.AutoProxy, (c, v) => c.AutoProxy = v),
        Int("PICKLE_PROTOCOL_VERSION", c => c.PickleProtocolVersion, (c, v) => c.PickleProtocolVersion = v),
        Str("BROADCAST_ADDRS", c => c.BroadcastAddrs, (c, v) => c.BroadcastAddrs = v),
        NullableStr("NATHOST", c => c.NatHost, (c, v) => c.NatHost = v),
        Int("NATPORT", c => c.NatPort, (c, v) => c.NatPort = v),
        Long("MAX_MESSAGE_SIZE", c => c.MaxMessageSize, (c, v) => c.MaxMessageSize = v),
        Bool("FLAME_ENABLED", c => c.FlameEnabled, (c, v) => c.FlameEnabled = v),
        Str("SERIALIZER", c => c.Serializer, (c, v) => c.Serializer = v),
        new("SERIALIZERS_ACCEPTED", c => FormatSet(c._serializersAccepted),
            // Python: set(value.split(',')), no trimming: "serpent, json" gives " json".
            (c, _, v) => c._serializersAccepted = new HashSet<string>(v.Split(','), StringComparer.Ordinal)),
        Bool("LOGWIRE", c => c.LogWire, (c, v) => c.LogWire = v),
        Bool("METADATA", c => c.Metadata, (c, v) => c.Metadata = v),
        Bool("REQUIRE_EXPOSE", c => c.RequireExpose, (c, v) => c.RequireExpose = v),
        Bool("USE_MSG_WAITALL", c => c.UseMsgWaitAll, (c, v) => c.UseMsgWaitAll = v),
        Str("JSON_MODULE", c => c.JsonModule, (c, v) => c.JsonModule = v),
        Int("MAX_RETRIES", c => c.MaxRetries, (c, v) => c.MaxRetries = v),
        Int("DILL_PROTOCOL_VERSION", c => c.DillProtocolVersion, (c, v) => c.DillProtocolVersion = v),
        Bool("ITER_STREAMING", c => c.IterStreaming, (c, v) => c.IterStreaming = v),
        Seconds("ITER_STREAM_LIFETIME", c => c.IterStreamLifetime, (c, v) => c.IterStreamLifetime = v),
        Seconds("ITER_STREAM_LINGER", c => c.IterStreamLinger, (c, v) => c.IterStreamLinger = v),
        Bool("SSL", c => c.Ssl, (c, v) => c.Ssl = v),
        Bool("SSL_REQUIRECLIENTCERT", c => c.SslRequireClientCert, (c, v) => c.SslRequireClientCert = v),
        Str("SSL_CACERTS", c => c.SslCaCerts, (c, v) => c.SslCaCerts = v),
        Str("SSL_SERVERCERT", c => c.SslServerCert, (c, v) => c.SslServerCert = v),
        Str("SSL_SERVERKEY", c => c.SslServerKey, (c, v) => c.SslServerKey = v),
        Str("SSL_SERVERKEYPASSWD", c => c.SslServerKeyPasswd, (c, v) => c.SslServerKeyPasswd = v),
        Str("SSL_CLIENTCERT", c => c.SslClientCert, (c, v) => c.SslClientCert = v),
        Str("SSL_CLIENTKEY", c => c.SslClientKey, (c, v) => c.SslClientKey = v),
        Str("SSL_CLIENTKEYPASSWD", c => c.SslClientKeyPasswd, (c, v) => c.SslClientKeyPasswd = v),
    ];

    // Declared after Items: initializers run in textual order within one file (the order across partial files is unspecified).
    private static readonly string[] s_itemNames = Array.ConvertAll(Items, item => item.Name);

    private static Item Str(string name, Func<PyroConfig, string> get, Action<PyroConfig, string> set)
        => new(name, get, (c, _, v) => set(c, v));

    // Items whose Python default is None take the raw environment string.
    private static Item NullableStr(string name, Func<PyroConfig, string?> get, Action<PyroConfig, string?> set)
        => new(name, c => FormatString(get(c)), (c, _, v) => set(c, v));

    private static Item Bool(string name, Func<PyroConfig, bool> get, Action<PyroConfig, bool> set)
        => new(name, c => FormatBool(get(c)), (c, variable, v) => set(c, ParseBool(variable, v)));

    private static Item Int(string name, Func<PyroConfig, int> get, Action<PyroConfig, int> set)
        => new(name, c => FormatInt(get(c)), (c, variable, v) => set(c, (int)ParseInteger(variable, v, int.MinValue, int.MaxValue)));

    private static Item Long(string name, Func<PyroConfig, long> get, Action<PyroConfig, long> set)
        => new(name, c => FormatInt(get(c)), (c, variable, v) => set(c, ParseInteger(variable, v, long.MinValue, long.MaxValue)));

    private static Item Seconds(string name, Func<PyroConfig, TimeSpan> get, Action<PyroConfig, TimeSpan> set)
        => new(name, c => FormatSeconds(get(c)), (c, variable, v) => set(c, ParseSeconds(variable, v)));

    private static bool ParseBool(string variable, string text)
    {
        // Python: value.lower() in ("0", "off", "no", "false") / ("1", "yes", "on", "true"), else ValueError.
        var lower = text.ToLowerInvariant();
        return lower switch
        {
            "0" or "off" or "no" or "false" => false,
            "1" or "yes" or "on" or "true" => true,
            _ => throw new FormatException("invalid boolean value: " + variable + "=" + lower
                + " (expected one of 0/off/no/false or 1/yes/on/true)"),
        };
    }

    private static long ParseInteger(string variable, string text, long min, long max)
    {
        if (!PythonText.TryParseInt(text, out BigInteger value))
            throw new FormatException("invalid integer value: " + variable + "=" + text);
        if (value < min || value > max)
            throw new FormatException("invalid integer value: " + variable + "=" + text + " (out of range " + FormatInt(min) + ".." + FormatInt(max) + ")");
        return (long)value;
    }

    private static TimeSpan ParseSeconds(string variable, string text)
    {
        if (!PythonText.TryParseFloat(text, out double seconds))
            throw new FormatException("invalid float value: " + variable + "=" + text);
        // Pyro accepts anything float() reads and fails later (or never); a TimeSpan cannot hold NaN or infinities.
        if (!double.IsFinite(seconds) || seconds < 0 || seconds * TimeSpan.TicksPerSecond >= long.MaxValue)
            throw new FormatException("invalid float value: " + variable + "=" + text + " (expected a finite number of seconds >= 0)");
        return TimeSpan.FromTicks((long)Math.Round(seconds * TimeSpan.TicksPerSecond));
    }
}
