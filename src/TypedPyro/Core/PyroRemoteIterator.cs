namespace TypedPyro;

/// <summary>
/// The items of a remote iterator or generator, fetched one call at a time over the proxy's connection (Pyro's
/// item streaming: <c>Pyro.Daemon.get_next_stream_item</c>). Enumerate it once, asynchronously (<c>await foreach</c>)
/// or with blocking calls (<see cref="ToBlockingEnumerable"/>). Stopping early (disposing the enumerator) tells the
/// daemon to close the stream (<c>close_stream</c>, oneway).
/// </summary>
public sealed class PyroRemoteIterator : IAsyncEnumerable<object?>
{
    private readonly PyroProxy _proxy;
    private int _started;

    internal PyroRemoteIterator(PyroProxy proxy, string streamId)
    {
        _proxy = proxy;
        StreamId = streamId;
    }

    /// <summary>The daemon's id for this stream.</summary>
    public string StreamId { get; }

    /// <summary>
    /// The items, fetched with blocking calls on the proxy's blocking call path (no task, and the socket of a proxy
    /// connected by a blocking call stays in blocking mode). It takes the place of the <c>IAsyncEnumerable</c>
    /// extension of the same name, which would block on the async calls.
    /// </summary>
    public IEnumerable<object?> ToBlockingEnumerable()
    {
        StartOnce();
        bool exhausted = false;
        try
        {
            while (true)
            {
                object? item;
                try
                {
                    item = _proxy.CallBlocking(NextItem, new List<object?> { StreamId }, PyroProxy.NoKeywords, forceOneway: false, PyroNames.DaemonObjectId);
                }
                catch (StopIterationException)
                {
                    exhausted = true;
                    yield break;
                }
                catch
                {
                    exhausted = true; // the daemon removes a stream that raised
                    throw;
                }
                yield return item;
            }
        }
        finally
        {
            if (!exhausted && _proxy.IsConnected)
            {
                try
                {
                    _proxy.CallBlocking(Close, new List<object?> { StreamId }, PyroProxy.NoKeywords, forceOneway: true, PyroNames.DaemonObjectId);
                }
                catch (PyroException)
                {
                    // The connection is gone; the daemon ends the stream itself after ITER_STREAM_LINGER.
                }
            }
        }
    }

    private const string NextItem = "get_next_stream_item";
    private const string Close = "close_stream";

    private void StartOnce()
    {
        if (Interlocked.Exchange(ref _started, 1) != 0) throw new InvalidOperationException("a remote iterator can be enumerated only once");
    }

    /// <inheritdoc/>
    public async IAsyncEnumerator<object?> GetAsyncEnumerator(CancellationToken cancellationToken = default)
    {
        StartOnce();
        bool exhausted = false;
        try
        {
            while (true)
            {
                object? item;
                try
                {
                    item = await _proxy.CallAsync(NextItem, new List<object?> { StreamId }, PyroProxy.NoKeywords, forceOneway: false, cancellationToken, PyroNames.DaemonObjectId).ConfigureAwait(false);
                }
                catch (StopIterationException)
                {
                    exhausted = true;
                    yield break;
                }
                catch
                {
                    exhausted = true; // the daemon removes a stream that raised
                    throw;
                }
                yield return item;
            }
        }
        finally
        {
            if (!exhausted && _proxy.IsConnected)
            {
                try
                {
                    await _proxy.CallAsync(Close, new List<object?> { StreamId }, PyroProxy.NoKeywords, forceOneway: true, CancellationToken.None, PyroNames.DaemonObjectId).ConfigureAwait(false);
                }
                catch (PyroException)
                {
                    // The connection is gone; the daemon ends the stream itself after ITER_STREAM_LINGER.
                }
            }
        }
    }
}
