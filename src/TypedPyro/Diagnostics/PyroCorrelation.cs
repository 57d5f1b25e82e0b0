namespace TypedPyro;

/// <summary>
/// The correlation id outgoing calls carry in their CORR annotation (Python's client-side
/// <c>current_context.correlation_id</c>). It flows with async code. Inside a call served by a daemon it is that call's
/// id, so calls made while serving pass it on (multi-hop tracing); elsewhere it is unset unless code sets it.
/// </summary>
public static class PyroCorrelation
{
    private static readonly AsyncLocal<Guid?> CurrentId = new();

    // Set before the first id is: until then every flow's id is null, and a proxy's call (which reads Current once)
    // skips the async-local lookup. Set before the value, so a flow that can see the value sees the flag.
    private static volatile bool _everSet;

    /// <summary>The id sent with calls made on this async flow, or null to send none.</summary>
    public static Guid? Current
    {
        get => (_everSet ? CurrentId.Value : null) ?? PyroCallContext.Current?.CorrelationId;
        set
        {
            _everSet = true;
            CurrentId.Value = value;
        }
    }

    /// <summary>Sets <see cref="Current"/> until the returned scope is disposed.</summary>
    public static IDisposable Begin(Guid id)
    {
        _everSet = true;
        var previous = CurrentId.Value;
        CurrentId.Value = id;
        return new Scope(previous);
    }

    private sealed class Scope(Guid? previous) : IDisposable
    {
        public void Dispose() => CurrentId.Value = previous;
    }
}
