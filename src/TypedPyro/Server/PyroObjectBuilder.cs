namespace TypedPyro;

/// <summary>
/// Builds an <see cref="IPyroDispatcher"/> by hand from delegates, for objects without a generated contract
/// (tools, tests, dynamic bridges). Typed contracts should use <c>[Expose]</c> interfaces and the source generator.
/// </summary>
/// <example>
/// <code>
/// var echo = new PyroObjectBuilder("EchoServer")
///     .Method("echo", call => call.Arg(0, "message"))
///     .Build();
/// daemon.Register(echo, "test.echoserver");
/// </code>
/// </example>
public sealed class PyroObjectBuilder
{
    private readonly string _typeName;
    private readonly Dictionary<string, Func<PyroInvocation, ValueTask<object?>>> _methods = new(StringComparer.Ordinal);
    private readonly HashSet<string> _oneway = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (Func<object?> Get, Action<object?>? Set)> _attributes = new(StringComparer.Ordinal);

    /// <summary>Starts an object whose Python-visible class name is <paramref name="typeName"/>.</summary>
    public PyroObjectBuilder(string typeName) => _typeName = typeName;

    /// <summary>Adds a synchronous method.</summary>
    public PyroObjectBuilder Method(string name, Func<PyroInvocation, object?> body)
        => MethodAsync(name, call => ValueTask.FromResult(body(call)));

    /// <summary>Adds an asynchronous method.</summary>
    public PyroObjectBuilder MethodAsync(string name, Func<PyroInvocation, ValueTask<object?>> body)
    {
        if (PyroNames.IsPrivate(name)) throw new ArgumentException($"'{name}' is private by Pyro's rules and cannot be exposed", nameof(name));
        _methods.Add(name, body);
        return this;
    }

    /// <summary>Adds a oneway method: callers do not wait and get no result or error.</summary>
    public PyroObjectBuilder Oneway(string name, Action<PyroInvocation> body)
    {
        Method(name, call => { body(call); return null; });
        _oneway.Add(name);
        return this;
    }

    /// <summary>Adds a oneway asynchronous method.</summary>
    public PyroObjectBuilder OnewayAsync(string name, Func<PyroInvocation, ValueTask> body)
    {
        MethodAsync(name, async call => { await body(call).ConfigureAwait(false); return null; });
        _oneway.Add(name);
        return this;
    }

    /// <summary>Adds a remote attribute (a Python property); read-only when <paramref name="set"/> is null.</summary>
    public PyroObjectBuilder Attribute(string name, Func<object?> get, Action<object?>? set = null)
    {
        _attributes.Add(name, (get, set));
        return this;
    }

    /// <summary>Creates the dispatcher.</summary>
    public IPyroDispatcher Build() => new DelegateDispatcher(_typeName, new(_methods.Keys, _oneway, _attributes.Keys), new(_methods), new(_attributes));

    private sealed class DelegateDispatcher(
        string typeName,
        PyroObjectMetadata metadata,
        Dictionary<string, Func<PyroInvocation, ValueTask<object?>>> methods,
        Dictionary<string, (Func<object?> Get, Action<object?>? Set)> attributes) : IPyroDispatcher
    {
        public string TypeName => typeName;
        public PyroObjectMetadata Metadata => metadata;

        public ValueTask<object?> InvokeAsync(PyroInvocation invocation) => methods[invocation.Method](invocation);

        public ValueTask<object?> GetAttributeAsync(string name, PyroCallContext context) => ValueTask.FromResult(attributes[name].Get());

        public ValueTask SetAttributeAsync(string name, object? value, PyroCallContext context)
        {
            var setter = attributes[name].Set ?? throw new MissingMemberException($"can't set attribute '{name}'");
            setter(value);
            return ValueTask.CompletedTask;
        }
    }
}
