using Microsoft.Extensions.Logging;

namespace TypedPyro;

/// <summary>Graceful shutdown: stop accepting and reading new requests, let the calls being served finish, then close.</summary>
public sealed partial class PyroDaemon
{
    // Cancelled first when draining (and by Shutdown): connections stop reading requests, the accept loop stops.
    // Writes go on under ShutdownToken, so a call that is running still sends its reply.
    private readonly CancellationTokenSource _stopReading = new();
    private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);

    internal CancellationToken ReadToken => _stopReading.Token;

    /// <summary>True between <see cref="Start"/> and the start of any shutdown: the daemon accepts and serves calls.</summary>
    public bool IsServing => _acceptLoop is not null && !_stopReading.IsCancellationRequested;

    /// <summary>
    /// Stops accepting connections and reading requests, waits until every call being served has sent its reply (or
    /// <paramref name="cancellationToken"/> is cancelled: the host's shutdown timeout), then <see cref="Shutdown"/>s.
    /// Idle connections are closed at once; a request a client has not finished sending is not started.
    /// </summary>
    /// <remarks>Oneway calls already running with ONEWAY_THREADED carry on; they are not waited for.</remarks>
    public async Task ShutdownGracefullyAsync(CancellationToken cancellationToken = default)
    {
        if (_shutdown.IsCancellationRequested) return;
        GracefulShutdownLog.Draining(Logger, _connections.Count);
        _stopReading.Cancel();
        try { _listener.Dispose(); } catch (ObjectDisposedException) { }
        NoteConnectionEnded();
        try
        {
            await _drained.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            GracefulShutdownLog.DrainTimedOut(Logger, _connections.Count);
        }
        finally
        {
            Shutdown();
        }
    }

    /// <summary>Called when a connection's loop has ended: completes the drain once none is left.</summary>
    private void NoteConnectionEnded()
    {
        if (_stopReading.IsCancellationRequested && _connections.IsEmpty) _drained.TrySetResult();
    }
}

/// <summary>The graceful shutdown's log messages.</summary>
internal static partial class GracefulShutdownLog
{
    [LoggerMessage(40, LogLevel.Information, "Pyro daemon stopping: no new connections or requests; waiting for {Connections} connection(s) to finish their calls")]
    public static partial void Draining(ILogger logger, int connections);

    [LoggerMessage(41, LogLevel.Warning, "Pyro daemon shutdown timeout: closing {Connections} connection(s) with calls still running")]
    public static partial void DrainTimedOut(ILogger logger, int connections);
}
