using System.Runtime.CompilerServices;
using TypedPyro.Serialization;

namespace TypedPyro;

/// <summary>
/// Passing objects by reference (Pyro's callbacks and AUTOPROXY): an object registered with a daemon, or a proxy,
/// travels as Pyro's proxy form <c>{'__class__': 'Pyro4.core.Proxy', 'state': (uri, ...)}</c>, and the receiver
/// gets a proxy to it. Used by generated code for parameters and results whose type is an <c>[Expose]</c> interface.
/// </summary>
public static class PyroCallbacks
{
    private static readonly ConditionalWeakTable<object, Registration> Registered = new();

    internal static void Remember(object instance, PyroUri uri, PyroObjectMetadata metadata)
    {
        Registered.AddOrUpdate(instance, new Registration(uri, metadata));
        // From now on a registered object travels as a proxy wherever a serializer meets it (AUTOPROXY).
        PyroWireReferences.Install(static value => Registered.TryGetValue(value, out var r) ? new PyroProxyReference(r.Uri, r.Metadata) : null);
    }

    internal static void Forget(object instance) => Registered.Remove(instance);

    /// <summary>The URI an object was registered under, if it was.</summary>
    public static PyroUri? UriOf(object instance) => Registered.TryGetValue(instance, out var r) ? r.Uri : null;

    /// <summary>
    /// The wire form of an object passed by reference: registered objects and proxies become Pyro's proxy dict.
    /// </summary>
    /// <exception cref="PyroException">The object is neither registered with a daemon nor a proxy.</exception>
    public static object? ToWireValue(object? instance) => instance switch
    {
        null => null,
        IPyroProxy proxy => new PyroProxyReference(proxy.Connection.ResolvedUri ?? proxy.Connection.Uri, proxy.Connection.Metadata),
        _ when Registered.TryGetValue(instance, out var r) => new PyroProxyReference(r.Uri, r.Metadata),
        _ => throw new PyroException(
            $"a {instance.GetType().Name} passed by reference must be registered with a daemon first (daemon.Register<IContract>(obj)), as Pyro requires for callbacks"),
    };

    /// <summary>
    /// A typed proxy for an object that arrived by reference (a Pyro proxy dict, a URI dict or a URI string). Without
    /// <paramref name="options"/>, a reference that a Pyro5 client sent (in a call its connection is serving) gets a
    /// Pyro5 proxy: the object lives in the client's Pyro5 daemon, which would refuse Pyro4.
    /// </summary>
    public static TContract? ToProxy<TContract>(object? value, PyroProxyOptions? options = null) where TContract : class
    {
        if (options is null && PyroCallContext.Current?.Client?.Protocol == 5) options = new PyroProxyOptions { Protocol = 5 };
        if (value is null) return null;
        PyroUri uri;
        try
        {
            uri = value is System.Collections.IDictionary map && Equals(map["__class__"], PyroProxyReference.WireClassName)
                ? PyroUri.Parse(map["state"] is IReadOnlyList<object?> { Count: > 0 } state && state[0] is string text ? text : throw new PyroException("invalid proxy state"))
                : PyroUri.FromWireValue(value);
        }
        catch (PyroException e)
        {
            throw new ArgumentTypeException($"expected a Pyro proxy or URI: {e.Message}", e);
        }
        return Pyro.Proxy<TContract>(uri, options);
    }

    private sealed record Registration(PyroUri Uri, PyroObjectMetadata Metadata);
}

/// <summary>Pyro's wire form of a proxy (what AUTOPROXY sends in place of a registered object).</summary>
public sealed class PyroProxyReference(PyroUri uri, PyroObjectMetadata? metadata) : IPyroWireValue
{
    /// <summary>The class name Python knows proxies by.</summary>
    public const string WireClassName = "Pyro4.core.Proxy";

    /// <summary>The referenced object's URI.</summary>
    public PyroUri Uri { get; } = uri;

    /// <inheritdoc/>
    public object? ToWireValue()
    {
        static PyTuple Names(IReadOnlySet<string>? names) => names is null ? PyTuple.Empty : new PyTuple([.. names.Order(StringComparer.Ordinal)]);
        // (uri, oneway, methods, attrs, timeout, hmac key, handshake, max retries, serializer), as Python's __getstate__.
        return new Dictionary<object, object?>
        {
            ["__class__"] = WireClassName,
            ["state"] = new PyTuple(Uri.ToString(), Names(metadata?.Oneway), Names(metadata?.Methods), Names(metadata?.Attributes), 0.0, null, "hello", 0L, null),
        };
    }
}
