namespace TypedPyro;

/// <summary>
/// Serves a registered factory: finds or makes the instance for each call according to the instance mode, then
/// delegates to that instance's dispatcher. Instances that are <see cref="IDisposable"/> or
/// <see cref="IAsyncDisposable"/> are disposed when their session ends (session) or after the call (per call).
/// </summary>
internal sealed class InstanceModeDispatcher : IPyroDispatcher
{
    private readonly Func<(IPyroDispatcher Dispatcher, object Instance)> _create;
    private readonly PyroInstanceMode _mode;
    private readonly Lazy<(IPyroDispatcher Dispatcher, object Instance)> _single;
    private readonly object _sessionKey = new();

    public InstanceModeDispatcher(string typeName, PyroObjectMetadata metadata, PyroInstanceMode mode, Func<(IPyroDispatcher, object)> create)
    {
        TypeName = typeName;
        Metadata = metadata;
        _mode = mode;
        _create = create;
        _single = new Lazy<(IPyroDispatcher, object)>(create, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    public string TypeName { get; }

    public PyroObjectMetadata Metadata { get; }

    /// <summary>True: arguments are made plain here for an instance's dispatcher that wants them so.</summary>
    public bool AcceptsBufferViews => true;

    public async ValueTask<object?> InvokeAsync(PyroInvocation invocation)
    {
        if (_mode != PyroInstanceMode.PerCall) return await ForCall(For(invocation.Context), invocation).ConfigureAwait(false);
        var (dispatcher, instance) = _create();
        try
        {
            return await ForCall(dispatcher, invocation).ConfigureAwait(false);
        }
        finally
        {
            await DisposeAsync(instance).ConfigureAwait(false);
        }
    }

    public async ValueTask<object?> GetAttributeAsync(string name, PyroCallContext context)
    {
        if (_mode != PyroInstanceMode.PerCall) return await For(context).GetAttributeAsync(name, context).ConfigureAwait(false);
        // Per call, an attribute access is a call of its own: a fresh instance, disposed after it like any other.
        var (dispatcher, instance) = _create();
        try
        {
            return await dispatcher.GetAttributeAsync(name, context).ConfigureAwait(false);
        }
        finally
        {
            await DisposeAsync(instance).ConfigureAwait(false);
        }
    }

    public async ValueTask SetAttributeAsync(string name, object? value, PyroCallContext context)
    {
        if (_mode != PyroInstanceMode.PerCall)
        {
            await For(context).SetAttributeAsync(name, value, context).ConfigureAwait(false);
            return;
        }
        var (dispatcher, instance) = _create();
        try
        {
            await dispatcher.SetAttributeAsync(name, value, context).ConfigureAwait(false);
        }
        finally
        {
            await DisposeAsync(instance).ConfigureAwait(false);
        }
    }

    private static ValueTask<object?> ForCall(IPyroDispatcher dispatcher, PyroInvocation invocation)
        => dispatcher.InvokeAsync(dispatcher.AcceptsBufferViews ? invocation : invocation with { Args = Serialization.BorrowedBytes.ToObjectModel(invocation.Args) });

    /// <summary>The instance of a single or session object (per-call instances are made and disposed by the caller).</summary>
    private IPyroDispatcher For(PyroCallContext context)
    {
        if (_mode == PyroInstanceMode.Single || context.Client is null) return _single.Value.Dispatcher;
        var session = context.Client.GetOrAddSessionInstance(_sessionKey, _create);
        return session.Dispatcher;
    }

    private static ValueTask DisposeAsync(object instance)
    {
        if (instance is IAsyncDisposable asyncDisposable) return asyncDisposable.DisposeAsync();
        (instance as IDisposable)?.Dispose();
        return ValueTask.CompletedTask;
    }
}
