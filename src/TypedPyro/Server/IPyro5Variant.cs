namespace TypedPyro;

/// <summary>
/// A registered object whose remote API differs between the protocols, as the name server's does (Pyro5's
/// <c>list(prefix, regex, return_metadata)</c> and <c>yplookup</c> against Pyro4's <c>list</c> with metadata filters):
/// the daemon serves Pyro4 clients through the object itself and Pyro5 clients through <see cref="Pyro5"/>, with its
/// metadata, in the handshake and for every call.
/// </summary>
internal interface IPyro5Variant
{
    /// <summary>The dispatcher Pyro5 connections get.</summary>
    IPyroDispatcher Pyro5 { get; }
}
