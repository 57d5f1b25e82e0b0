namespace TypedPyro.Serialization;

/// <summary>
/// Lets the layer above the serializers give the wire form of objects passed by reference (Pyro's AUTOPROXY): an
/// object registered with a daemon travels as a proxy to it wherever it appears in a value. Serializers ask only for
/// values they cannot write otherwise, so the hook costs nothing on the common path.
/// </summary>
internal static class PyroWireReferences
{
    private static Func<object, IPyroWireValue?>? _resolver;

    /// <summary>Installs the resolver (idempotent; the first one wins).</summary>
    public static void Install(Func<object, IPyroWireValue?> resolver) => Interlocked.CompareExchange(ref _resolver, resolver, null);

    /// <summary>The reference form of <paramref name="value"/>, or null when it is not passed by reference.</summary>
    public static IPyroWireValue? Resolve(object value) => _resolver?.Invoke(value);
}
