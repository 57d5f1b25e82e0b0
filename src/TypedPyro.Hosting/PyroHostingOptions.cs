namespace TypedPyro.Hosting;

/// <summary>
/// The hosted daemon's settings, bound from a configuration section (<c>"Pyro"</c>) whose keys are Pyro's own item
/// names (<c>Pyro:COMMTIMEOUT</c>, <c>Pyro:SERVERTYPE</c>, ...) plus the daemon's <c>PORT</c>, <c>UNIXSOCKET</c>,
/// <c>HMAC_KEY</c> and <c>NS_REGISTER</c>; <c>PYRO_*</c> environment variables override the section.
/// </summary>
public sealed class PyroHostingOptions
{
    /// <summary>Pyro configuration items as text, by Pyro name (<c>COMMTIMEOUT</c> = <c>"5"</c>), parsed as Pyro parses them.</summary>
    public IDictionary<string, string?> Items { get; } = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);

    /// <summary>The TCP port to listen on; 0 (the default) picks a free one.</summary>
    public int Port { get; set; }

    /// <summary>A Unix domain socket path to listen on instead of TCP, or null.</summary>
    public string? UnixSocket { get; set; }

    /// <summary>The shared HMAC key (UTF-8), or null. Read from <c>HMAC_KEY</c> or <c>PYRO_HMAC_KEY</c>; never logged.</summary>
    public string? HmacKey { get; set; }

    /// <summary>Register the objects marked for it with the name server (NS_HOST, NS_PORT) on start, remove them on stop.</summary>
    public bool RegisterWithNameServer { get; set; }

    /// <summary>Changes applied to the parsed configuration last (code wins over configuration).</summary>
    public Action<PyroConfig>? Configure { get; set; }

    /// <summary>Errors found while binding (an item's path and what is wrong); reported at start.</summary>
    internal List<string> BindingErrors { get; } = [];

    /// <summary>The environment that <c>PYRO_*</c> overrides come from; null = the process environment (tests set it).</summary>
    internal IReadOnlyDictionary<string, string?>? Environment { get; set; }

    /// <summary>
    /// Pyro's defaults, then <see cref="Items"/>, then <c>PYRO_*</c> environment variables, then <see cref="Configure"/>.
    /// </summary>
    /// <exception cref="FormatException">An item has an invalid value; the message names it.</exception>
    public PyroConfig BuildConfig()
    {
        var values = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var (name, value) in Items)
        {
            if (value is not null) values["PYRO_" + name.ToUpperInvariant()] = value;
        }
        foreach (var name in PyroConfig.ItemNames.Concat(["LOGLEVEL", "LOGFILE"]))
        {
            if (ReadEnvironment("PYRO_" + name) is { } value) values["PYRO_" + name] = value;
        }
        var config = PyroConfig.FromEnvironment(values);
        Configure?.Invoke(config);
        return config;
    }

    /// <summary>The HMAC key as bytes: <see cref="HmacKey"/>, else <c>PYRO_HMAC_KEY</c>; null when neither is set.</summary>
    public byte[]? GetHmacKey()
    {
        var text = !string.IsNullOrEmpty(HmacKey) ? HmacKey : ReadEnvironment("PYRO_HMAC_KEY");
        return string.IsNullOrEmpty(text) ? null : System.Text.Encoding.UTF8.GetBytes(text);
    }

    private string? ReadEnvironment(string name)
        => Environment is null ? System.Environment.GetEnvironmentVariable(name) : Environment.TryGetValue(name, out var value) ? value : null;

    /// <summary>Never the key: options may end up in logs.</summary>
    public override string ToString()
        => $"PyroHostingOptions(port {Port}, unixsocket {UnixSocket ?? "None"}, HMAC key {(HmacKey is null ? "not set" : "set")}, {Items.Count} items, ns register {RegisterWithNameServer})";
}
