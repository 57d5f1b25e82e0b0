namespace TypedPyro;

/// <summary>The three kinds of Pyro URI.</summary>
public enum PyroUriProtocol
{
    /// <summary><c>PYRO:objectId@location</c>: an object in a daemon at a known location.</summary>
    Pyro,

    /// <summary><c>PYRONAME:name[@nshost[:nsport]]</c>: a logical name resolved through the name server.</summary>
    PyroName,

    /// <summary><c>PYROMETA:tag[,tag...][@nshost[:nsport]]</c>: any name server entry carrying all the tags.</summary>
    PyroMeta,
}
