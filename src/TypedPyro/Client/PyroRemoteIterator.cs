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
        try
        {
            while (true)
            {
                // Complete when it returns: with blocking, every call blocked on this thread.
                var (found, item) = NextAsync(blocking: true, CancellationToken.None).GetAwaiter().GetResult();
                if (!found) yield break;
                yield return item;
            }
        }
        finally
        {
            CloseUnlessEndedAsync(blocking: true).GetAwaiter().GetResult();
        }
    }

    /// <inheritdoc/>
    public async IAsyncEnumerator<object?> GetAsyncEnumerator(CancellationToken cancellationToken = default)
    {
        StartOnce();
        try
        {
            while (true)
            {
                var (found, item) = await NextAsync(blocking: false, cancellationToken).ConfigureAwait(false);
                if (!found) yield break;
                yield return item;
            }
        }
        finally
        {
            await CloseUnlessEndedAsync(blocking: false).ConfigureAwait(false);
        }
    }

    private void StartOnce()
    {
        if (Interlocked.Exchange(ref _started, 1) != 0) throw new InvalidOperationException("a remote iterator can be enumerated only once");
    }

    // True once the daemon has ended the stream: its items ran out, or the generator raised (the daemon removes it).
    private bool _ended;

    /// <summary>The next item (<c>get_next_stream_item</c>), or not found at the end of the stream.</summary>
    private async ValueTask<(bool Found, object? Item)> NextAsync(bool blocking, CancellationToken cancellationToken)
    {
        const string method = "get_next_stream_item";
        var args = new List<object?> { StreamId };
        try
        {
            var item = blocking
                ? _proxy.CallBlocking(method, args, PyroProxy.NoKeywords, forceOneway: false, PyroNames.DaemonObjectId)
                : await _proxy.CallAsync(method, args, PyroProxy.NoKeywords, forceOneway: false, cancellationToken, PyroNames.DaemonObjectId).ConfigureAwait(false);
            return (true, item);
        }
        catch (StopIterationException)
        {
            _ended = true;
            return (false, null);
        }
        catch
        {
            _ended = true;
            throw;
        }
    }

    /// <summary>A stream left before its end is closed on the daemon (<c>close_stream</c>, oneway).</summary>
    private async ValueTask CloseUnlessEndedAsync(bool blocking)
    {
        if (_ended || !_proxy.IsConnected) return;
        const string method = "close_stream";
        var args = new List<object?> { StreamId };
        try
        {
            if (blocking) _proxy.CallBlocking(method, args, PyroProxy.NoKeywords, forceOneway: true, PyroNames.DaemonObjectId);
            else await _proxy.CallAsync(method, args, PyroProxy.NoKeywords, forceOneway: true, CancellationToken.None, PyroNames.DaemonObjectId).ConfigureAwait(false);
        }
        catch (PyroException)
        {
            // The connection is gone; the daemon ends the stream itself after ITER_STREAM_LINGER.
        }
    }
}
