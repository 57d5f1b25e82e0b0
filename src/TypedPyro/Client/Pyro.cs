namespace TypedPyro;

/// <summary>Entry points for typed contracts: <c>Pyro.Proxy&lt;IWarehouse&gt;("PYRO:...")</c>.</summary>
public static class Pyro
{
    /// <summary>
    /// A typed proxy for an <c>[Expose]</c> interface. It connects on first use; it implements
    /// <see cref="IDisposable"/> and <see cref="IAsyncDisposable"/> (cast, or use <see cref="Release"/>) and
    /// <see cref="IPyroProxy"/> for the untyped connection.
    /// </summary>
    public static TContract Proxy<TContract>(string uri, PyroProxyOptions? options = null) where TContract : class
        => Proxy<TContract>(PyroUri.Parse(uri), options);

    /// <inheritdoc cref="Proxy{TContract}(string, PyroProxyOptions?)"/>
    public static TContract Proxy<TContract>(PyroUri uri, PyroProxyOptions? options = null) where TContract : class
        => PyroContracts.CreateProxy<TContract>(new PyroProxy(uri, options));

    /// <summary>Starts a typed batch of calls on a typed proxy (Pyro's <c>Pyro4.batch</c>).</summary>
    public static PyroTypedBatch<TContract> Batch<TContract>(TContract proxy) where TContract : class => new(proxy);

    /// <summary>The untyped connection behind a typed proxy (timeouts, metadata, release, ...).</summary>
    /// <exception cref="ArgumentException"><paramref name="proxy"/> is not a Pyro proxy.</exception>
    public static PyroProxy Connection(object proxy)
        => (proxy as IPyroProxy)?.Connection ?? throw new ArgumentException("not a Pyro proxy", nameof(proxy));

    /// <summary>Closes a typed proxy's connection; it reconnects on its next call.</summary>
    public static void Release(object proxy) => Connection(proxy).Release();
}
