namespace TypedPyro.Naming.Redis;

/// <summary>
/// The conditional updates, each one Lua script: Redis runs a script alone, so the check and the write cannot be
/// split by another name server's update (no read-modify-write race). StackExchange.Redis sends them by SHA once loaded.
/// Values are laid out by <see cref="RegistrationCodec"/>: <c>len:uri[json]</c>.
/// </summary>
internal static class RedisScripts
{
    /// <summary>KEYS[1] names hash; ARGV[1] name, ARGV[2] new metadata part. Keeps the URI; 0 when the name is unknown.</summary>
    public const string SetMetadata = """
        local v = redis.call('HGET', KEYS[1], ARGV[1])
        if not v then return 0 end
        local colon = string.find(v, ':', 1, true)
        local n = tonumber(string.sub(v, 1, colon - 1))
        redis.call('HSET', KEYS[1], ARGV[1], string.sub(v, 1, colon + n) .. ARGV[2])
        return 1
        """;

    /// <summary>KEYS[1] names hash; ARGV[1] name, ARGV[2] URI. Deletes only while the name still has that URI.</summary>
    public const string RemoveIfUri = """
        local v = redis.call('HGET', KEYS[1], ARGV[1])
        if not v then return 0 end
        local colon = string.find(v, ':', 1, true)
        local n = tonumber(string.sub(v, 1, colon - 1))
        if string.sub(v, colon + 1, colon + n) ~= ARGV[2] then return 0 end
        return redis.call('HDEL', KEYS[1], ARGV[1])
        """;

    /// <summary>KEYS[1] lease key; ARGV[1] holder, ARGV[2] duration in ms. Takes a free lease or renews one's own.</summary>
    public const string HoldLease = """
        local holder = redis.call('GET', KEYS[1])
        if holder == false or holder == ARGV[1] then
            redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
            return 1
        end
        return 0
        """;
}
