namespace TypedPyro;

/// <summary>When a registered factory makes a new instance (Pyro's <c>@behavior(instance_mode=...)</c>).</summary>
public enum PyroInstanceMode
{
    /// <summary>One instance for the whole daemon, made on first use.</summary>
    Single,

    /// <summary>One instance per client connection (Pyro's default), disposed when the connection closes.</summary>
    Session,

    /// <summary>A new instance for every call, disposed after it.</summary>
    PerCall,
}
