using TypedPyro.Protocol;

namespace TypedPyro;

/// <summary>Sending requests, with small oneway requests coalesced into shared socket writes.</summary>
public sealed partial class PyroProxy
{
    // Small oneway requests are coalesced.
    // A oneway call needs no reply, so its frame may wait a moment: frames queued while a background flush is pending
    // go out in one socket write. Anything else sent on the connection writes the queue first, so order is kept.
    // The background flush holds the gate only to take the queued frames (the two buffers swap); it writes them
    // outside the gate, so callers keep queueing meanwhile instead of waiting on the socket. Every direct write
    // first waits for that background write, which keeps the order.
    // Like any oneway send, a frame lost with a failing connection is not reported (Python's oneway send to a dead
    // peer's socket buffer does not fail either); the next call reconnects.

    private PooledBufferWriter _queuedOneways = new(256);
    private PooledBufferWriter _sendingOneways = new(256); // the frames the background write is sending
    private Stream? _queuedFor; // the connection the queued frames belong to: after a reconnect they are dropped
    private bool _flushScheduled;
    private Task _backgroundWrite = Task.CompletedTask; // never faults: a failed write closes its connection instead
    private const int OnewayQueueLimit = 64 * 1024;

    /// <summary>Sends a framed request (under the gate): queued if it is a small oneway, else after any queued ones.</summary>
    private async ValueTask SendRequestAsync(Stream stream, SentRequest request, CancellationToken token)
    {
        if (request.Oneway && request.IsWholeFrame && QueueOneway(stream)) return;
        await FlushQueuedOnewaysAsync(stream, token).ConfigureAwait(false);
        await stream.WriteAsync(_frame.WrittenMemory, token).ConfigureAwait(false);
        if (!request.SeparatePayload.IsEmpty) await stream.WriteAsync(request.SeparatePayload, token).ConfigureAwait(false);
        if (request.Segmented) await _buffer.WriteToAsync(stream, token).ConfigureAwait(false);
    }

    /// <summary><see cref="SendRequestAsync"/> with blocking writes.</summary>
    private void SendRequest(Stream stream, SentRequest request)
    {
        if (request.Oneway && request.IsWholeFrame && QueueOneway(stream)) return;
        FlushQueuedOneways(stream);
        stream.Write(_frame.WrittenSpan);
        if (!request.SeparatePayload.IsEmpty) stream.Write(request.SeparatePayload.Span);
        if (request.Segmented) _buffer.WriteTo(stream);
    }

    /// <summary>Queues the framed oneway request and makes sure a flush will follow; false when the queue is full.</summary>
    private bool QueueOneway(Stream stream)
    {
        if (_queuedOneways.WrittenCount > 0 && _queuedFor != stream) _queuedOneways.ResetWrittenCount();
        if (_queuedOneways.WrittenCount + _frame.WrittenCount > OnewayQueueLimit) return false;
        _queuedFor = stream;
        _frame.WrittenSpan.CopyTo(_queuedOneways.GetSpan(_frame.WrittenCount));
        _queuedOneways.Advance(_frame.WrittenCount);
        if (!_flushScheduled)
        {
            _flushScheduled = true;
            ThreadPool.UnsafeQueueUserWorkItem(static proxy => _ = proxy.FlushInBackgroundAsync(), this, preferLocal: false);
        }
        return true;
    }

    /// <summary>Before a direct write (under the gate): the background write finishes, then the queue is written.</summary>
    private async ValueTask FlushQueuedOnewaysAsync(Stream stream, CancellationToken token)
    {
        if (!_backgroundWrite.IsCompleted) await _backgroundWrite.ConfigureAwait(false);
        if (_queuedOneways.WrittenCount == 0) return;
        if (_queuedFor == stream) await stream.WriteAsync(_queuedOneways.WrittenMemory, token).ConfigureAwait(false);
        _queuedOneways.ResetWrittenCount();
    }

    private void FlushQueuedOneways(Stream stream)
    {
        if (!_backgroundWrite.IsCompleted) _backgroundWrite.GetAwaiter().GetResult();
        if (_queuedOneways.WrittenCount == 0) return;
        if (_queuedFor == stream) stream.Write(_queuedOneways.WrittenSpan);
        _queuedOneways.ResetWrittenCount();
    }

    private async Task FlushInBackgroundAsync()
    {
        // The previous background write sends the other buffer: it must be done before the buffers swap again.
        if (!_backgroundWrite.IsCompleted) await _backgroundWrite.ConfigureAwait(false);
        Stream stream;
        PooledBufferWriter frames;
        TaskCompletionSource written;
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            _flushScheduled = false;
            if (_queuedOneways.WrittenCount == 0) return;
            if (_stream is not { } current || _queuedFor != current)
            {
                _queuedOneways.ResetWrittenCount();
                return;
            }
            (stream, frames) = (current, _queuedOneways);
            (_queuedOneways, _sendingOneways) = (_sendingOneways, _queuedOneways);
            // Set before the gate opens: a direct writer that comes next waits for these frames to go first.
            written = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _backgroundWrite = written.Task;
        }
        finally
        {
            _queuedOneways.Trim();
            _gate.Release();
        }

        try
        {
            await stream.WriteAsync(frames.WrittenMemory).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // It cannot take the gate to close the connection properly: a direct writer holding the gate may be waiting
            // for this very write. Closing the stream makes the next call fail over to a new connection.
            if (!ReferenceEquals(stream, _connectedStream)) stream.Dispose();
        }
        finally
        {
            frames.ResetWrittenCount();
            frames.Trim();
            written.SetResult();
        }
    }
}
