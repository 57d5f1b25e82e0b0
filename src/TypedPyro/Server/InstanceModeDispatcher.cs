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

    public ValueTask<object?> GetAttributeAsync(string name, PyroCallContext context) => For(context).GetAttributeAsync(name, context);

    public ValueTask SetAttributeAsync(string name, object? value, PyroCallContext context) => For(context).SetAttributeAsync(name, value, context);

    private static ValueTask<object?> ForCall(IPyroDispatcher dispatcher, PyroInvocation invocation)
        => dispatcher.InvokeAsync(dispatcher.AcceptsBufferViews ? invocation : invocation with { Args = Serialization.BorrowedBytes.ToObjectModel(invocation.Args) });

    private IPyroDispatcher For(PyroCallContext context)
    {
        if (_mode == PyroInstanceMode.Single || context.Client is null) return _single.Value.Dispatcher;
        if (_mode == PyroInstanceMode.PerCall) return _create().Dispatcher;
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
