namespace TypedPyro;

/// <summary>
/// The correlation id outgoing calls carry in their CORR annotation (Python's client-side
/// <c>current_context.correlation_id</c>). It flows with async code. Inside a call served by a daemon it is that call's
/// id, so calls made while serving pass it on (multi-hop tracing); elsewhere it is unset unless code sets it.
/// </summary>
public static class PyroCorrelation
{
    private static readonly AsyncLocal<Guid?> CurrentId = new();

    /// <summary>The id sent with calls made on this async flow, or null to send none.</summary>
    public static Guid? Current
    {
        get => CurrentId.Value ?? PyroCallContext.Current?.CorrelationId;
        set => CurrentId.Value = value;
    }

    /// <summary>Sets <see cref="Current"/> until the returned scope is disposed.</summary>
    public static IDisposable Begin(Guid id)
    {
        var previous = CurrentId.Value;
        CurrentId.Value = id;
        return new Scope(previous);
    }

    private sealed class Scope(Guid? previous) : IDisposable
    {
        public void Dispose() => CurrentId.Value = previous;
    }
}
