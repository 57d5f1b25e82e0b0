using Microsoft.Extensions.DependencyInjection;

namespace TypedPyro.Hosting;

/// <summary>
/// An instance made in a DI scope of its own, served through its contract's dispatcher. The daemon disposes it when the
/// session ends (instance mode session) or after the call (percall), and that disposes the scope and what it made.
/// </summary>
internal sealed class ScopedDispatcher : IPyroDispatcher, IAsyncDisposable
{
    private readonly AsyncServiceScope _scope;
    private readonly IPyroDispatcher _inner;

    private ScopedDispatcher(AsyncServiceScope scope, IPyroDispatcher inner)
    {
        _scope = scope;
        _inner = inner;
    }

    public static ScopedDispatcher Create<TContract, TImplementation>(IServiceScopeFactory scopes)
        where TContract : class
        where TImplementation : class, TContract
    {
        var scope = scopes.CreateAsyncScope();
        try
        {
            TContract instance = scope.ServiceProvider.GetRequiredService<TImplementation>();
            return new ScopedDispatcher(scope, PyroContracts.CreateDispatcher(instance));
        }
        catch
        {
            scope.Dispose();
            throw;
        }
    }

    public string TypeName => _inner.TypeName;

    public PyroObjectMetadata Metadata => _inner.Metadata;

    public bool AcceptsBufferViews => _inner.AcceptsBufferViews;

    public ValueTask<object?> InvokeAsync(PyroInvocation invocation) => _inner.InvokeAsync(invocation);

    public ValueTask<object?> GetAttributeAsync(string name, PyroCallContext context) => _inner.GetAttributeAsync(name, context);

    public ValueTask SetAttributeAsync(string name, object? value, PyroCallContext context) => _inner.SetAttributeAsync(name, value, context);

    public ValueTask DisposeAsync() => _scope.DisposeAsync();
}
