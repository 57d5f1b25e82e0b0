using System.Diagnostics;

namespace TypedPyro;

/// <summary>
/// Every remote call is an <see cref="Activity"/> on the <c>TypedPyro</c> <see cref="ActivitySource"/> (client side
/// <see cref="ActivityKind.Client"/>, daemon side <see cref="ActivityKind.Server"/>), tagged with OpenTelemetry's RPC
/// conventions and the Pyro correlation id, so tracing tools see every hop. Costs nothing without a listener.
/// </summary>
public static class PyroTelemetry
{
    /// <summary>The name of the activity source.</summary>
    public const string SourceName = "TypedPyro";

    /// <summary>The activity source.</summary>
    public static ActivitySource Source { get; } = new(SourceName, "0.1.0");

    internal static Activity? StartCall(ActivityKind kind, string objectId, string method, Guid? correlationId)
    {
        if (!Source.HasListeners()) return null;
        var activity = Source.StartActivity($"{objectId}/{method}", kind);
        if (activity is null) return null;
        activity.SetTag("rpc.system", "pyro");
        activity.SetTag("rpc.service", objectId);
        activity.SetTag("rpc.method", method);
        if (correlationId is { } id) activity.SetTag("pyro.correlation_id", id.ToString());
        return activity;
    }

    /// <summary>A server call's activity; the context's correlation id is only made (when the client sent none) if traced.</summary>
    internal static Activity? StartCall(ActivityKind kind, string objectId, string method, PyroCallContext context)
        => Source.HasListeners() ? StartCall(kind, objectId, method, context.CorrelationId) : null;

    internal static void Fail(Activity? activity, Exception exception)
    {
        if (activity is null) return;
        activity.SetStatus(ActivityStatusCode.Error, exception.Message);
        activity.SetTag("exception.type", exception.GetType().FullName);
    }
}
