namespace TypedPyro;

/// <summary>
/// Typed batch calls: calls made on the contract inside <see cref="Add{TResult}(Func{TContract, TResult})"/> are queued
/// instead of sent, then go as one message with <see cref="ExecuteAsync"/> (Pyro's batch). The daemon runs them in
/// order and stops at the first failure; each queued call's <see cref="PyroBatchItem{T}"/> then holds its typed result
/// or its exception. Build a batch on one thread.
/// </summary>
/// <example>
/// <code>
/// var batch = Pyro.Batch(warehouse);
/// batch.Add(w => w.Store("ann", "pen"));
/// var contents = batch.Add(w => w.ListContents());
/// await batch.ExecuteAsync();
/// List&lt;string&gt; list = contents.Value;
/// </code>
/// </example>
public sealed class PyroTypedBatch<TContract> where TContract : class
{
    private readonly TContract _proxy;
    private readonly PyroBatch _batch;
    private readonly List<IPyroBatchItem> _items = [];

    internal PyroTypedBatch(TContract proxy)
    {
        _proxy = proxy;
        _batch = Pyro.Connection(proxy).CreateBatch();
    }

    /// <summary>Queues the one remote call <paramref name="call"/> makes; its result arrives in the returned item.</summary>
    /// <exception cref="ArgumentException">The lambda made no remote call, or more than one.</exception>
    public PyroBatchItem<TResult> Add<TResult>(Func<TContract, TResult> call) => Record<TResult>(() => call(_proxy));

    /// <summary>Queues a call to a method without a result.</summary>
    public PyroBatchItem<object?> Add(Action<TContract> call) => Record<object?>(() => call(_proxy));

    /// <summary>Queues a call to an asynchronous method; the item holds the awaited result.</summary>
    public PyroBatchItem<TResult> AddAsync<TResult>(Func<TContract, Task<TResult>> call) => Record<TResult>(() => call(_proxy));

    /// <summary>Queues a call to an asynchronous method without a result.</summary>
    public PyroBatchItem<object?> AddAsync(Func<TContract, Task> call) => Record<object?>(() => call(_proxy));

    private PyroBatchItem<TResult> Record<TResult>(Action makeCall)
    {
        var recorded = PyroBatchRecorder.Record(makeCall);
        _batch.Add(recorded.Method, recorded.Args, recorded.Kwargs);
        var item = new PyroBatchItem<TResult>(recorded.Method, recorded.Convert);
        _items.Add(item);
        return item;
    }

    /// <summary>Sends the batch and fills every item: a result, the failed call's exception, or "did not run".</summary>
    public async Task ExecuteAsync(CancellationToken cancellationToken = default)
    {
        var results = await _batch.ExecuteAsync(cancellationToken).ConfigureAwait(false);
        for (int i = 0; i < _items.Count; i++)
        {
            if (i < results.Results.Count) _items[i].Complete(results.Results[i]);
            else if (i == results.Results.Count && results.Error is not null) _items[i].Fail(results.Error);
            else _items[i].Fail(new InvalidOperationException($"{_items[i].Method}() did not run: an earlier call of the batch failed"));
        }
    }

    /// <summary>Sends the batch as oneway: no results, no errors.</summary>
    public Task ExecuteOnewayAsync(CancellationToken cancellationToken = default) => _batch.ExecuteOnewayAsync(cancellationToken);
}

internal interface IPyroBatchItem
{
    string Method { get; }
    void Complete(object? value);
    void Fail(Exception exception);
}

/// <summary>The result of one call of a typed batch, available after the batch has run.</summary>
public sealed class PyroBatchItem<T> : IPyroBatchItem
{
    private readonly Func<object?, object?> _convert;
    private T? _value;
    private bool _done;

    internal PyroBatchItem(string method, Func<object?, object?> convert)
    {
        Method = method;
        _convert = convert;
    }

    /// <summary>The wire name of the call.</summary>
    public string Method { get; }

    /// <summary>The exception of this call, or why it did not run; null when it succeeded or the batch has not run.</summary>
    public Exception? Error { get; private set; }

    /// <summary>The call's result.</summary>
    /// <exception cref="InvalidOperationException">The batch has not run yet, or this call did not run.</exception>
    /// <remarks>Rethrows the call's own exception when it failed.</remarks>
    public T Value
    {
        get
        {
            if (Error is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(Error);
            if (!_done) throw new InvalidOperationException("the batch has not been executed yet");
            return _value!;
        }
    }

    void IPyroBatchItem.Complete(object? value)
    {
        _value = (T?)_convert(value);
        _done = true;
    }

    void IPyroBatchItem.Fail(Exception exception)
    {
        Error = exception;
        _done = true;
    }
}

/// <summary>Catches the one call a generated proxy makes while a typed batch records it.</summary>
internal static class PyroBatchRecorder
{
    private static readonly AsyncLocal<Recording?> Current = new();

    internal sealed class Recording
    {
        public string Method = "";
        public Serialization.PyTuple Args = Serialization.PyTuple.Empty;
        public IReadOnlyDictionary<string, object?>? Kwargs;
        public Func<object?, object?> Convert = static v => v;
        public int Calls;
    }

    public static Recording Record(Action makeCall)
    {
        var recording = new Recording();
        Current.Value = recording;
        try
        {
            makeCall();
        }
        finally
        {
            Current.Value = null;
        }
        if (recording.Calls != 1) throw new ArgumentException($"a batched lambda must make exactly one remote call; it made {recording.Calls}");
        return recording;
    }

    /// <summary>True when a typed batch is recording on this flow (a check that allocates nothing).</summary>
    public static bool IsRecording => Current.Value is not null;

    /// <summary>True (and records) when a typed batch is recording on this flow.</summary>
    public static bool TryRecord(string method, Serialization.PyTuple args, IReadOnlyDictionary<string, object?>? kwargs, Func<object?, object?> convert)
    {
        var recording = Current.Value;
        if (recording is null) return false;
        recording.Calls++;
        recording.Method = method;
        recording.Args = args;
        recording.Kwargs = kwargs;
        recording.Convert = convert;
        return true;
    }
}
