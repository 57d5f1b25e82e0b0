namespace TypedPyro;

/// <summary>
/// The items of a remote iterator or generator, fetched one call at a time over the proxy's connection (Pyro's
/// item streaming: <c>Pyro.Daemon.get_next_stream_item</c>). Enumerate it once, synchronously or asynchronously.
/// Stopping early (disposing the enumerator) tells the daemon to close the stream (<c>close_stream</c>, oneway).
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

    /// <inheritdoc/>
    public async IAsyncEnumerator<object?> GetAsyncEnumerator(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _started, 1) != 0) throw new InvalidOperationException("a remote iterator can be enumerated only once");
        bool exhausted = false;
        try
        {
            while (true)
            {
                object? item;
                try
                {
                    item = await _proxy.CallAsync("get_next_stream_item", new List<object?> { StreamId }, PyroProxy.NoKeywords, forceOneway: false, cancellationToken, PyroNames.DaemonObjectId).ConfigureAwait(false);
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
                    await _proxy.CallAsync("close_stream", new List<object?> { StreamId }, PyroProxy.NoKeywords, forceOneway: true, CancellationToken.None, PyroNames.DaemonObjectId).ConfigureAwait(false);
                }
                catch (PyroException)
                {
                    // The connection is gone; the daemon ends the stream itself after ITER_STREAM_LINGER.
                }
            }
        }
    }
}
