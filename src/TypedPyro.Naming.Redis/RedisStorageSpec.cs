using System.Globalization;
using StackExchange.Redis;

namespace TypedPyro.Naming.Redis;

/// <summary>
/// Reads the <c>--storage</c> forms of a Redis registry: <c>redis://HOST[:PORT][/DB]</c>, or <c>redis:</c> followed by a
/// StackExchange.Redis configuration string for several endpoints or a Sentinel
/// (<c>redis:s1:26379,s2:26379,serviceName=mymaster</c>). The password is never part of the option: it comes from
/// <see cref="PasswordVariable"/>, so it does not show in process lists or logs.
/// </summary>
public static class RedisStorageSpec
{
    /// <summary>The environment variable holding the Redis password (unset or empty: no password).</summary>
    public const string PasswordVariable = "TYPEDPYRO_REDIS_PASSWORD";

    /// <summary>Whether <paramref name="spec"/> names a Redis registry (starts with <c>redis:</c>).</summary>
    public static bool IsRedis(string? spec) => spec is not null && spec.StartsWith("redis:", StringComparison.Ordinal);

    /// <summary>The client configuration for <paramref name="spec"/>, with the password from <see cref="PasswordVariable"/>.</summary>
    /// <exception cref="ArgumentException">Not a Redis storage form, a bad address or database, or a password in the option.</exception>
    public static ConfigurationOptions Parse(string spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (!IsRedis(spec)) throw new ArgumentException($"invalid storage type '{spec}'");
        var options = spec.StartsWith("redis://", StringComparison.Ordinal) ? ParseUrl(spec) : ParseConfiguration(spec["redis:".Length..], spec);
        // Fail at start within seconds when Redis is not there; once connected, the client reconnects by itself.
        options.AbortOnConnectFail = true;
        options.ConnectRetry = 1;
        options.ConnectTimeout = 3000;
        options.SyncTimeout = 5000;
        options.AsyncTimeout = 5000;
        options.ClientName ??= "typedpyro-ns";
        if (Environment.GetEnvironmentVariable(PasswordVariable) is { Length: > 0 } password) options.Password = password;
        return options;
    }

    private static ConfigurationOptions ParseUrl(string spec)
    {
        if (!Uri.TryCreate(spec, UriKind.Absolute, out var url) || url.Host.Length == 0)
            throw new ArgumentException($"invalid redis storage '{Shown(spec)}': expected redis://HOST[:PORT][/DB]");
        if (url.UserInfo.Length > 0) throw PasswordInOption(spec);
        if (url.Query.Length > 0 || url.Fragment.Length > 0)
            throw new ArgumentException($"invalid redis storage '{Shown(spec)}': no query or fragment is allowed");
        var options = new ConfigurationOptions();
        string host = url.Host.Length > 2 && url.Host[0] == '[' ? url.Host[1..^1] : url.Host;
        options.EndPoints.Add(host, url.IsDefaultPort ? 6379 : url.Port);
        string path = url.AbsolutePath.Trim('/');
        if (path.Length > 0)
        {
            if (!int.TryParse(path, NumberStyles.None, CultureInfo.InvariantCulture, out int db))
                throw new ArgumentException($"invalid redis storage '{Shown(spec)}': the database must be a number, not '{path}'");
            options.DefaultDatabase = db;
        }
        return options;
    }

    private static ConfigurationOptions ParseConfiguration(string configuration, string spec)
    {
        if (configuration.Length == 0) throw new ArgumentException($"invalid redis storage '{Shown(spec)}': no endpoint given");
        ConfigurationOptions options;
        try
        {
            options = ConfigurationOptions.Parse(configuration);
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"invalid redis storage '{Shown(spec)}': {e.Message}", e);
        }
        if (options.Password is not null) throw PasswordInOption(spec);
        if (options.EndPoints.Count == 0) throw new ArgumentException($"invalid redis storage '{Shown(spec)}': no endpoint given");
        return options;
    }

    private static ArgumentException PasswordInOption(string spec)
        => new($"invalid redis storage '{Shown(spec)}': give the password in {PasswordVariable}, not in the storage option");

    // Never echo a password back: the part before '@' of a URL, or a configuration string that names one.
    private static string Shown(string spec)
    {
        int at = spec.LastIndexOf('@');
        if (spec.StartsWith("redis://", StringComparison.Ordinal) && at > 0) return "redis://***@" + spec[(at + 1)..];
        return spec.Contains("password", StringComparison.OrdinalIgnoreCase) ? "redis:***" : spec;
    }
}
