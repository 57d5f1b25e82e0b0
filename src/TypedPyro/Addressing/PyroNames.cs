namespace TypedPyro;

/// <summary>Pyro's rules for names that may be called remotely.</summary>
public static class PyroNames
{
    /// <summary>The id of every daemon's own object.</summary>
    public const string DaemonObjectId = "Pyro.Daemon";

    /// <summary>The id of the name server object.</summary>
    public const string NameServerObjectId = "Pyro.NameServer";

    /// <summary>
    /// True when Pyro treats <paramref name="name"/> as private: it starts with <c>_</c> and is not a public dunder
    /// (<c>__x__</c> longer than 4 characters and not in Pyro's private list).
    /// </summary>
    public static bool IsPrivate(string name) => Shared.PyroPrivateNames.IsPrivate(name);
}
