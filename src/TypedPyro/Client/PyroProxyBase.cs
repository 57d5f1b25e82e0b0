using TypedPyro.Serialization;

namespace TypedPyro;

/// <summary>
/// The base of generated proxies: thin typed wrappers over one <see cref="PyroProxy"/>. Each generated method packs
/// its arguments, calls one of these helpers with the wire name, and converts the result to the declared type.
/// </summary>
/// <remarks>Meant for generated code; the members are stable API for it.</remarks>
public abstract class PyroProxyBase : IPyroProxy, IPyroWireValue, IDisposable, IAsyncDisposable
{
    /// <summary>Creates the proxy over <paramref name="connection"/>, which it owns.</summary>
    protected PyroProxyBase(PyroProxy connection) => Connection = connection ?? throw new ArgumentNullException(nameof(connection));

    /// <inheritdoc/>
    public PyroProxy Connection { get; }

    /// <summary>Calls and waits (synchronous contract methods), with blocking socket I/O.</summary>
    protected T Call<T>(string method, PyTuple args, IReadOnlyDictionary<string, object?>? kwargs, Func<object?, T> convert)
        => PyroBatchRecorder.IsRecording ? Record(method, args, kwargs, convert) : convert(Connection.InvokeBlocking(method, args, kwargs));

    private static T Record<T>(string method, PyTuple args, IReadOnlyDictionary<string, object?>? kwargs, Func<object?, T> convert)
    {
        PyroBatchRecorder.TryRecord(method, args, kwargs, v => convert(v));
        return default!;
    }

    /// <summary>Calls and waits, ignoring the result.</summary>
    protected void Call(string method, PyTuple args, IReadOnlyDictionary<string, object?>? kwargs)
    {
        if (!PyroBatchRecorder.TryRecord(method, args, kwargs, static _ => null)) Connection.InvokeBlocking(method, args, kwargs);
    }

    /// <summary>Calls asynchronously.</summary>
    protected Task<T> CallAsync<T>(string method, PyTuple args, IReadOnlyDictionary<string, object?>? kwargs, Func<object?, T> convert, CancellationToken cancellationToken)
        => PyroBatchRecorder.IsRecording ? Task.FromResult(Record(method, args, kwargs, convert)) : CallNowAsync(method, args, kwargs, convert, cancellationToken);

    private async Task<T> CallNowAsync<T>(string method, PyTuple args, IReadOnlyDictionary<string, object?>? kwargs, Func<object?, T> convert, CancellationToken cancellationToken)
        => convert(await Connection.InvokeAsync(method, args, kwargs, cancellationToken).ConfigureAwait(false));

    /// <summary>Calls asynchronously, ignoring the result.</summary>
    protected Task CallAsync(string method, PyTuple args, IReadOnlyDictionary<string, object?>? kwargs, CancellationToken cancellationToken)
        => PyroBatchRecorder.TryRecord(method, args, kwargs, static _ => null) ? Task.CompletedTask : Connection.InvokeAsync(method, args, kwargs, cancellationToken);

    /// <summary>A oneway call: sent, not waited for.</summary>
    protected void CallOneway(string method, PyTuple args, IReadOnlyDictionary<string, object?>? kwargs)
    {
        // In a batch, per-method oneway markers are ignored, as Pyro does.
        if (!PyroBatchRecorder.TryRecord(method, args, kwargs, static _ => null)) Connection.InvokeBlocking(method, args, kwargs, forceOneway: true);
    }

    /// <summary>A oneway call, asynchronously (completes when the message is sent).</summary>
    protected Task CallOnewayAsync(string method, PyTuple args, IReadOnlyDictionary<string, object?>? kwargs, CancellationToken cancellationToken)
        => PyroBatchRecorder.TryRecord(method, args, kwargs, static _ => null) ? Task.CompletedTask : Connection.InvokeOnewayAsync(method, args, kwargs, cancellationToken);

    // ---- typed arguments: the generated argument struct is written straight into the serializer ----------------

    /// <summary>Calls and waits, with typed arguments; blocking socket I/O, no task.</summary>
    protected T Invoke<TArgs, T>(string method, TArgs args, Func<object?, T> convert) where TArgs : struct, IPyroArguments
        => PyroBatchRecorder.IsRecording ? Record(method, args, convert) : convert(Connection.CallTyped(method, args, forceOneway: false, bytesResult: typeof(T) == typeof(byte[])));

    /// <summary>Calls and waits, ignoring the result, with typed arguments.</summary>
    protected void Invoke<TArgs>(string method, TArgs args) where TArgs : struct, IPyroArguments
    {
        if (PyroBatchRecorder.IsRecording) Record(method, args, static _ => (object?)null);
        else Connection.CallTyped(method, args, forceOneway: false);
    }

    /// <summary>Calls asynchronously, with typed arguments.</summary>
    protected Task<T> InvokeAsync<TArgs, T>(string method, TArgs args, Func<object?, T> convert, CancellationToken cancellationToken) where TArgs : struct, IPyroArguments
        => PyroBatchRecorder.IsRecording ? Task.FromResult(Record(method, args, convert)) : InvokeNowAsync(method, args, convert, cancellationToken).AsTask();

    /// <summary>Calls asynchronously, ignoring the result, with typed arguments.</summary>
    protected Task InvokeAsync<TArgs>(string method, TArgs args, CancellationToken cancellationToken) where TArgs : struct, IPyroArguments
        => PyroBatchRecorder.IsRecording ? Task.FromResult(Record(method, args, static _ => (object?)null)) : Connection.CallTypedAsync(method, args, forceOneway: false, cancellationToken).AsTask();

    /// <summary>Calls asynchronously for a <c>ValueTask&lt;T&gt;</c> contract method: no task is allocated.</summary>
    protected ValueTask<T> InvokeValueTaskAsync<TArgs, T>(string method, TArgs args, Func<object?, T> convert, CancellationToken cancellationToken) where TArgs : struct, IPyroArguments
        => PyroBatchRecorder.IsRecording ? new ValueTask<T>(Record(method, args, convert)) : InvokeNowAsync(method, args, convert, cancellationToken);

    /// <summary>Calls asynchronously for a <c>ValueTask</c> contract method, ignoring the result.</summary>
    protected ValueTask InvokeValueTaskAsync<TArgs>(string method, TArgs args, CancellationToken cancellationToken) where TArgs : struct, IPyroArguments
    {
        if (PyroBatchRecorder.IsRecording)
        {
            Record(method, args, static _ => (object?)null);
            return default;
        }
        return IgnoreResult(Connection.CallTypedAsync(method, args, forceOneway: false, cancellationToken));
    }

    /// <summary>A oneway call with typed arguments: sent, not waited for.</summary>
    protected void InvokeOneway<TArgs>(string method, TArgs args) where TArgs : struct, IPyroArguments
    {
        // In a batch, per-method oneway markers are ignored, as Pyro does.
        if (PyroBatchRecorder.IsRecording) Record(method, args, static _ => (object?)null);
        else Connection.CallTyped(method, args, forceOneway: true);
    }

    /// <summary>A oneway call with typed arguments, asynchronously (completes when the message is sent).</summary>
    protected Task InvokeOnewayAsync<TArgs>(string method, TArgs args, CancellationToken cancellationToken) where TArgs : struct, IPyroArguments
        => PyroBatchRecorder.IsRecording ? Task.FromResult(Record(method, args, static _ => (object?)null)) : Connection.CallTypedAsync(method, args, forceOneway: true, cancellationToken).AsTask();

    [System.Runtime.CompilerServices.AsyncMethodBuilder(typeof(System.Runtime.CompilerServices.PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<T> InvokeNowAsync<TArgs, T>(string method, TArgs args, Func<object?, T> convert, CancellationToken cancellationToken) where TArgs : struct, IPyroArguments
        => convert(await Connection.CallTypedAsync(method, args, forceOneway: false, cancellationToken, bytesResult: typeof(T) == typeof(byte[])).ConfigureAwait(false));

    [System.Runtime.CompilerServices.AsyncMethodBuilder(typeof(System.Runtime.CompilerServices.PoolingAsyncValueTaskMethodBuilder))]
    private static async ValueTask IgnoreResult(ValueTask<object?> call) => await call.ConfigureAwait(false);

    /// <summary>Records a call for a typed batch (the arguments as a tuple: batches go through the object model).</summary>
    private static T Record<TArgs, T>(string method, TArgs args, Func<object?, T> convert) where TArgs : struct, IPyroArguments
    {
        PyroBatchRecorder.TryRecord(method, args.ToTuple(), null, v => convert(v));
        return default!;
    }

    // ---- object-model arguments (methods with keyword arguments or blobs) ----------------------------------------

    /// <summary>
    /// A call whose result is a remote iterator: the call is made now (so its errors surface here) and the items are
    /// fetched as the sequence is enumerated.
    /// </summary>
    protected IEnumerable<T> CallStream<T>(string method, PyTuple args, IReadOnlyDictionary<string, object?>? kwargs, Func<object?, T> convert)
        // In a batch the daemon sends iterator results whole, as a list (Pyro does not stream inside batches).
        => PyroBatchRecorder.TryRecord(method, args, kwargs, v => PyroConvert.ToList(v, convert)) ? []
            : PyroConvert.ToEnumerable(Connection.InvokeBlocking(method, args, kwargs), convert);

    /// <summary>A call whose result is a remote iterator, consumed asynchronously; the call is made on first MoveNextAsync.</summary>
    protected async IAsyncEnumerable<T> CallStreamAsync<T>(string method, PyTuple args, IReadOnlyDictionary<string, object?>? kwargs, Func<object?, T> convert,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var result = await Connection.InvokeAsync(method, args, kwargs, cancellationToken).ConfigureAwait(false);
        await foreach (var item in PyroConvert.ToAsyncEnumerable(result, convert).WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            yield return item;
        }
    }

    /// <summary>Reads a remote attribute.</summary>
    protected T GetAttribute<T>(string name, Func<object?, T> convert)
        => convert(Connection.InvokeBlocking("__getattr__", new PyTuple(name), null));

    /// <summary>Writes a remote attribute.</summary>
    protected void SetAttribute(string name, object? value)
        => Connection.InvokeBlocking("__setattr__", new PyTuple(name, value), null);

    /// <summary>Thrown by members of the interface that are not remote (partly exposed interfaces).</summary>
    protected static NotSupportedException NotRemote(string member)
        => new($"{member} is not exposed ([Expose]) and cannot be called through a Pyro proxy");

    /// <summary>A proxy passed as an argument or result travels as Pyro's proxy form (the receiver gets its own proxy).</summary>
    public object? ToWireValue() => new PyroProxyReference(Connection.ResolvedUri ?? Connection.Uri, Connection.Metadata).ToWireValue();

    /// <inheritdoc/>
    public void Dispose() => Connection.Dispose();

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => Connection.DisposeAsync();

    /// <inheritdoc/>
    public override string ToString() => Connection.ToString();
}
