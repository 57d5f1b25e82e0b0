using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using StackExchange.Redis;

namespace TypedPyro.Naming.Redis;

/// <summary>
/// A name server registry in Redis (<c>typedpyro ns --storage redis://HOST:PORT[/DB]</c>), shared by every name server
/// that opens the same Redis and key prefix: a name registered through one is found through every other at once.
/// </summary>
/// <remarks>
/// <para>Layout: one hash <c>{prefix}names</c>, field = name, value = URI and metadata (one <c>HGET</c> per lookup), and
/// one key per lease (<c>{prefix}lease:autoclean</c>). Plain updates are single commands (<c>HSET</c>, <c>HDEL</c>,
/// <c>HSETNX</c> for a safe register); conditional ones are Lua scripts, so no update of another name server can come
/// between a check and its write.</para>
/// <para>The name server's own entry, <c>Pyro.NameServer</c>, is kept in this instance and not in Redis: each name
/// server answers with its own URI, and one name server stopping does not leave the others' entry pointing at it.</para>
/// <para>Calls block the name server's thread until Redis answers, and StackExchange.Redis reads the answers on the
/// thread pool; so that many concurrent lookups cannot starve it (which shows as timeouts), opening a storage raises
/// the pool's minimum worker threads to <see cref="MinimumWorkerThreads"/> when it is lower, the remedy the client's
/// authors give.</para>
/// <para>Redis unreachable or timing out: the operation fails with a <see cref="NamingException"/> naming the address,
/// the name server keeps running, and the client reconnects by itself when Redis is back.</para>
/// </remarks>
public sealed class RedisNameServerStorage : ISharedNameServerStorage
{
    /// <summary>The key prefix used unless another is given.</summary>
    public const string DefaultKeyPrefix = "typedpyro:ns:";

    /// <summary>The thread pool's minimum worker threads once a storage is open (see remarks).</summary>
    public const int MinimumWorkerThreads = 64;

    private readonly ConnectionMultiplexer _redis;
    private readonly IDatabase _db;
    private readonly RedisKey _names;
    private readonly string _keyPrefix;
    private volatile NameRegistration? _own;

    /// <summary>Connects to Redis and checks that the registry key can be used.</summary>
    /// <param name="configuration">Endpoints, database, password... (see <see cref="RedisStorageSpec.Parse"/>).</param>
    /// <param name="keyPrefix">Prefix of the keys; name servers with the same prefix share a registry.</param>
    /// <param name="description">What <see cref="Description"/> says; default <c>redis:</c> and the configuration without password.</param>
    /// <exception cref="NamingException">Redis cannot be reached, refuses the password, or the key holds something else.</exception>
    public RedisNameServerStorage(ConfigurationOptions configuration, string keyPrefix = DefaultKeyPrefix, string? description = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(keyPrefix);
        Description = description ?? "redis:" + configuration.ToString(includePassword: false);
        _keyPrefix = keyPrefix;
        _names = keyPrefix + "names";
        RaiseThreadPoolMinimum();
        try
        {
            _redis = ConnectionMultiplexer.Connect(configuration);
        }
        catch (RedisException e)
        {
            throw new NamingException($"cannot reach redis at {Endpoints(configuration)}: {OneLine(e)}", e);
        }
        _db = _redis.GetDatabase();
        try
        {
            _db.HashLength(_names); // WRONGTYPE, NOAUTH or NOPERM show now rather than at the first request
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            _redis.Dispose();
            throw new NamingException($"cannot use redis at {Endpoints(configuration)}: {OneLine(e)}", e);
        }
    }

    /// <summary>Opens the registry named by a <c>--storage</c> option (see <see cref="RedisStorageSpec"/>).</summary>
    /// <exception cref="ArgumentException">Not a valid Redis storage option.</exception>
    /// <exception cref="NamingException">Redis cannot be reached or used.</exception>
    public static RedisNameServerStorage Open(string spec, string keyPrefix = DefaultKeyPrefix)
        => new(RedisStorageSpec.Parse(spec), keyPrefix, spec);

    /// <inheritdoc/>
    public string Description { get; }

    /// <inheritdoc/>
    public int Count => (int)Run("len", () => _db.HashLength(_names)) + (_own is null ? 0 : 1);

    /// <inheritdoc/>
    public bool TryGet(string name, [NotNullWhen(true)] out NameRegistration? registration)
    {
        if (name == NameServer.ObjectId)
        {
            registration = _own;
            return registration is not null;
        }
        var value = Run("getitem", () => _db.HashGet(_names, name));
        registration = value.IsNull ? null : RegistrationCodec.Decode(name, (byte[])value!);
        return registration is not null;
    }

    /// <inheritdoc/>
    public bool Contains(string name)
        => name == NameServer.ObjectId ? _own is not null : Run("contains", () => _db.HashExists(_names, name));

    /// <inheritdoc/>
    public void Set(NameRegistration registration)
    {
        ArgumentNullException.ThrowIfNull(registration);
        if (registration.Name == NameServer.ObjectId)
        {
            _own = registration;
            return;
        }
        Run("setitem", () => _db.HashSet(_names, registration.Name, Encode(registration)));
    }

    /// <inheritdoc/>
    public bool TryAdd(NameRegistration registration)
    {
        ArgumentNullException.ThrowIfNull(registration);
        if (registration.Name == NameServer.ObjectId)
        {
            return Interlocked.CompareExchange(ref _own, registration, null) is null;
        }
        return Run("setitem", () => _db.HashSet(_names, registration.Name, Encode(registration), When.NotExists));
    }

    /// <inheritdoc/>
    public bool TrySetMetadata(string name, IReadOnlySet<string> metadata)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(metadata);
        if (name == NameServer.ObjectId)
        {
            var own = _own;
            if (own is null) return false;
            _own = new NameRegistration(own.Name, own.Uri, metadata);
            return true;
        }
        var updated = Run("set_metadata", () => _db.ScriptEvaluate(RedisScripts.SetMetadata, [_names], [name, RegistrationCodec.EncodeMetadata(metadata)]));
        return (long)updated == 1;
    }

    /// <inheritdoc/>
    public bool Remove(string name)
    {
        if (name == NameServer.ObjectId) return Interlocked.Exchange(ref _own, null) is not null;
        return Run("delitem", () => _db.HashDelete(_names, name));
    }

    /// <inheritdoc/>
    public bool RemoveIfUri(string name, string uri)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(uri);
        if (name == NameServer.ObjectId)
        {
            var own = _own;
            return own is not null && own.Uri == uri && Interlocked.CompareExchange(ref _own, null, own) == own;
        }
        var removed = Run("remove_items", () => _db.ScriptEvaluate(RedisScripts.RemoveIfUri, [_names], [name, uri]));
        return (long)removed == 1;
    }

    /// <inheritdoc/>
    public int RemoveAll(IReadOnlyCollection<string> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        int removed = 0;
        var fields = new List<RedisValue>(names.Count);
        foreach (var name in names)
        {
            if (name == NameServer.ObjectId) removed += Remove(name) ? 1 : 0;
            else fields.Add(name);
        }
        // One HDEL: atomic, and it counts only what it removed (another name server may have removed some first).
        if (fields.Count > 0) removed += (int)Run("remove_items", () => _db.HashDelete(_names, [.. fields]));
        return removed;
    }

    /// <inheritdoc/>
    public IReadOnlyList<NameRegistration> ListAll() => List(static _ => true);

    /// <inheritdoc/>
    public IReadOnlyList<NameRegistration> ListPrefix(string prefix)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        return List(r => r.Name.StartsWith(prefix, StringComparison.Ordinal));
    }

    /// <inheritdoc/>
    public IReadOnlyList<NameRegistration> ListByMetadata(IReadOnlySet<string> tags, bool all)
    {
        ArgumentNullException.ThrowIfNull(tags);
        return List(r => MetadataMatches(r.Metadata, tags, all));
    }

    /// <inheritdoc/>
    public bool TryHoldLease(string lease, string holder, TimeSpan duration)
    {
        ArgumentNullException.ThrowIfNull(lease);
        ArgumentNullException.ThrowIfNull(holder);
        long ms = Math.Max(1, (long)duration.TotalMilliseconds);
        var held = Run("lease", () => _db.ScriptEvaluate(RedisScripts.HoldLease, [(RedisKey)(_keyPrefix + "lease:" + lease)], [holder, ms.ToString(CultureInfo.InvariantCulture)]));
        return (long)held == 1;
    }

    /// <summary>Closes the connection (the registry stays in Redis).</summary>
    public void Dispose() => _redis.Dispose();

    /// <inheritdoc/>
    public override string ToString() => Description;

    // One HGETALL: a consistent snapshot of the registry, filtered here (Redis has no index on a value's parts).
    private List<NameRegistration> List(Func<NameRegistration, bool> filter)
    {
        var entries = Run("everything", () => _db.HashGetAll(_names));
        var result = new List<NameRegistration>(entries.Length + 1);
        if (_own is { } own && filter(own)) result.Add(own);
        foreach (var entry in entries)
        {
            var registration = RegistrationCodec.Decode(entry.Name!, (byte[])entry.Value!);
            if (filter(registration)) result.Add(registration);
        }
        return result;
    }

    private static void RaiseThreadPoolMinimum()
    {
        ThreadPool.GetMinThreads(out int workers, out int io);
        if (workers < MinimumWorkerThreads) ThreadPool.SetMinThreads(MinimumWorkerThreads, io);
    }

    private static bool MetadataMatches(IReadOnlySet<string> metadata, IReadOnlySet<string> tags, bool all)
        => all ? metadata.IsSupersetOf(tags) : metadata.Overlaps(tags);

    private static byte[] Encode(NameRegistration registration) => RegistrationCodec.Encode(registration.Uri, registration.Metadata);

    private T Run<T>(string operation, Func<T> body)
    {
        try
        {
            return body();
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            throw new NamingException($"redis error in {operation} ({Endpoints(_redis)}): {OneLine(e)}", e);
        }
    }

    private static string Endpoints(ConfigurationOptions configuration) => string.Join(",", configuration.EndPoints.Select(FormatEndPoint));

    private static string Endpoints(ConnectionMultiplexer redis) => string.Join(",", redis.GetEndPoints().Select(FormatEndPoint));

    private static string FormatEndPoint(System.Net.EndPoint endPoint) => endPoint switch
    {
        System.Net.DnsEndPoint dns => dns.Host + ":" + dns.Port.ToString(CultureInfo.InvariantCulture),
        _ => endPoint.ToString() ?? "?",
    };

    // StackExchange.Redis messages can run over several sentences and lines; keep the first line.
    private static string OneLine(Exception e)
    {
        string message = e is RedisConnectionException connection ? connection.FailureType + ": " + e.Message : e.Message;
        int newline = message.IndexOfAny(['\r', '\n']);
        return newline < 0 ? message : message[..newline];
    }
}
