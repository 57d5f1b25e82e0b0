using TypedPyro.Serialization;

namespace TypedPyro;

/// <summary>
/// Queues calls to one remote object and sends them as one message (Pyro's batch calls). The daemon runs them in
/// order and stops at the first exception, as Python's <c>Pyro4.batch</c> does. Not thread-safe: build it on one thread.
/// </summary>
public sealed class PyroBatch
{
    private readonly PyroProxy _proxy;
    private readonly List<object?> _calls = [];

    internal PyroBatch(PyroProxy proxy) => _proxy = proxy;

    /// <summary>Number of queued calls.</summary>
    public int Count => _calls.Count;

    /// <summary>Queues a call.</summary>
    public PyroBatch Add(string method, IReadOnlyList<object?>? args = null, IReadOnlyDictionary<string, object?>? kwargs = null)
    {
        _calls.Add(new PyTuple(method, args as PyTuple ?? new PyTuple([.. args ?? []]), kwargs ?? PyroProxy.NoKeywords));
        return this;
    }

    /// <summary>
    /// Sends the batch and returns one result per call that ran. When a call failed, the list ends there: its entry
    /// is the exception (not thrown), and the calls after it did not run. Use <see cref="PyroBatchResults.ThrowIfFailed"/>
    /// or <see cref="PyroBatchResults.Values"/> to get Python's behaviour of raising at the failed call.
    /// </summary>
    public async Task<PyroBatchResults> ExecuteAsync(CancellationToken cancellationToken = default)
    {
        var reply = await _proxy.InvokeBatchAsync(_calls, oneway: false, cancellationToken).ConfigureAwait(false);
        return PyroBatchResults.FromWire(reply);
    }

    /// <summary>Sends the batch as oneway: no results, no errors, nothing waited for.</summary>
    public Task ExecuteOnewayAsync(CancellationToken cancellationToken = default)
        => _proxy.InvokeBatchAsync(_calls, oneway: true, cancellationToken);
}

/// <summary>The results of a <see cref="PyroBatch"/>, in call order.</summary>
public sealed class PyroBatchResults
{
    private PyroBatchResults(IReadOnlyList<object?> results, Exception? error)
    {
        Results = results;
        Error = error;
    }

    /// <summary>Results of the calls that succeeded, in order.</summary>
    public IReadOnlyList<object?> Results { get; }

    /// <summary>The exception of the call that failed (the batch stopped there), or null.</summary>
    public Exception? Error { get; }

    /// <summary>The results, throwing the failed call's exception after yielding the ones before it (Python's behaviour).</summary>
    public IEnumerable<object?> Values
    {
        get
        {
            foreach (var result in Results) yield return result;
            ThrowIfFailed();
        }
    }

    /// <summary>Throws the failed call's exception, if any.</summary>
    public void ThrowIfFailed()
    {
        if (Error is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(Error);
    }

    internal static PyroBatchResults FromWire(object? value)
    {
        // The deserializer's list is the caller's results as it is when no call failed (the usual case): no copy.
        if (value is List<object?> list)
        {
            int failed = list.FindIndex(IsExceptionWrapper);
            return failed < 0 ? new PyroBatchResults(list, null)
                : new PyroBatchResults(list.GetRange(0, failed), PyroExceptionMapping.FromWireValue(((System.Collections.IDictionary)list[failed]!)["exception"]));
        }
        if (value is not IEnumerable<object?> items) throw new ProtocolException("invalid batch reply: expected a list");
        var results = new List<object?>();
        foreach (var item in items)
        {
            if (IsExceptionWrapper(item))
                return new PyroBatchResults(results, PyroExceptionMapping.FromWireValue(((System.Collections.IDictionary)item!)["exception"]));
            results.Add(item);
        }
        return new PyroBatchResults(results, null);
    }

    /// <summary>The failed call's entry: Pyro's <c>Pyro4.futures._ExceptionWrapper</c>.</summary>
    private static bool IsExceptionWrapper(object? item)
        => item is System.Collections.IDictionary map && Equals(map["__class__"], "Pyro4.futures._ExceptionWrapper");
}
