using TypedPyro.Protocol;

namespace TypedPyro;

/// <summary>Pipelined calls (<see cref="PyroProxyOptions.Pipelining"/>): sent without waiting, replies matched in order.</summary>
public sealed partial class PyroProxy
{
    private readonly ReplyQueue _replies = new();

    /// <summary>
    /// A call on a pipelined connection: sent under the gate as soon as the previous request is out, then its reply
    /// awaited in the connection's reply queue (see <see cref="ReplyQueue"/>).
    /// </summary>
    private async ValueTask<object?> CallPipelinedAsync<TPayload>(string method, TPayload payload, bool forceOneway, CancellationToken cancellationToken, string? objectId, MessageFlags flags, bool raw)
        where TPayload : struct, ICallPayload
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        using var timeout = StartTimeout(cancellationToken);
        System.Diagnostics.Activity? activity = null;
        long started = PyroMetrics.ClientStart();
        SentRequest request;
        ReplyQueue.Waiter waiter;
        bool reads;
        Stream stream;
        MessageReader reader;
        await _gate.EnterAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await EnsureConnectedAsync(timeout.Token, cancellationToken).ConfigureAwait(false);
            (stream, reader) = (_stream!, _reader!);
            request = WriteRequest(method, payload, forceOneway, objectId, flags, out activity);
            await SendRequestAsync(stream, request, timeout.Token).ConfigureAwait(false);
            if (request.Oneway)
            {
                activity?.Dispose();
                PyroMetrics.ClientCallEnded(started, objectId ?? ResolvedUri?.Object, method);
                return null;
            }
            waiter = new ReplyQueue.Waiter();
            reads = _replies.Enqueue(waiter);
        }
        catch (Exception e)
        {
            var failure = Failed(e, activity, cancellationToken);
            activity?.Dispose();
            if (failure == e) throw;
            throw failure;
        }
        finally
        {
            TrimBuffers();
            _gate.Exit();
        }

        try
        {
            return await AwaitReplyAsync(waiter, reads, reader, reply => ReadReply(request, reply, raw), timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            var failure = Failed(e, activity, cancellationToken, stream);
            if (failure == e) throw;
            throw failure;
        }
        finally
        {
            activity?.Dispose();
            PyroMetrics.ClientCallEnded(started, objectId ?? ResolvedUri?.Object, method);
        }
    }

    /// <summary>
    /// <see cref="CallPipelinedAsync"/> with blocking I/O, for synchronous contract methods: a blocked caller that
    /// becomes the reader reads on its own thread, so blocked callers never wait for a thread-pool thread.
    /// </summary>
    private object? CallPipelined<TPayload>(string method, TPayload payload, bool forceOneway, string? objectId) where TPayload : struct, ICallPayload
    {
        System.Diagnostics.Activity? activity = null;
        long started = PyroMetrics.ClientStart();
        SentRequest request;
        ReplyQueue.Waiter waiter;
        bool reads;
        Stream stream;
        MessageReader reader;
        _gate.Enter();
        try
        {
            if (_stream is null) EnsureConnected();
            else ApplySocketTimeouts();
            (stream, reader) = (_stream!, _reader!);
            request = WriteRequest(method, payload, forceOneway, objectId, MessageFlags.None, out activity);
            SendRequest(stream, request);
            if (request.Oneway)
            {
                activity?.Dispose();
                PyroMetrics.ClientCallEnded(started, objectId ?? ResolvedUri?.Object, method);
                return null;
            }
            waiter = new ReplyQueue.Waiter();
            reads = _replies.Enqueue(waiter);
        }
        catch (Exception e)
        {
            var failure = Failed(e, activity, CancellationToken.None);
            activity?.Dispose();
            if (failure == e) throw;
            throw failure;
        }
        finally
        {
            TrimBuffers();
            _gate.Exit();
        }

        try
        {
            var mine = reads ? null : WaitForReply(waiter);
            while (mine is null)
            {
                var reply = reader.Read(ResultReply | PingReply);
                if (!IsOwnReply(reply, waiter)) continue;
                try
                {
                    return ReadReply(request, reply, raw: false);
                }
                finally
                {
                    _replies.PassOnReading();
                }
            }
            return ReadReply(request, mine, raw: false);
        }
        catch (Exception e)
        {
            var failure = Failed(e, activity, CancellationToken.None, stream);
            if (failure == e) throw;
            throw failure;
        }
        finally
        {
            activity?.Dispose();
            PyroMetrics.ClientCallEnded(started, objectId ?? ResolvedUri?.Object, method);
        }
    }

    /// <summary>
    /// Waits for <paramref name="waiter"/>'s reply; while this caller is the reader, reads replies, hands earlier
    /// callers theirs (copied: the buffer is reused) and, once its own is processed, passes the reading on.
    /// </summary>
    private async ValueTask<object?> AwaitReplyAsync(ReplyQueue.Waiter waiter, bool reads, MessageReader reader, Func<PyroMessage, object?> complete, CancellationToken token)
    {
        PyroMessage? mine = reads ? null : await waiter.Reply.Task.WaitAsync(token).ConfigureAwait(false);
        while (mine is null)
        {
            var reply = await reader.ReadAsync(ResultReply | PingReply, token).ConfigureAwait(false);
            if (!IsOwnReply(reply, waiter)) continue;
            try
            {
                // Processed before the reading passes on: the reply lives in the reader's buffer.
                return complete(reply);
            }
            finally
            {
                _replies.PassOnReading();
            }
        }
        return complete(mine);
    }

    /// <summary>
    /// Hands a reply just read to the oldest waiter. True when that is <paramref name="waiter"/> (the reader itself);
    /// otherwise the reply is copied for its owner, since the reader's buffer is about to be reused.
    /// </summary>
    private bool IsOwnReply(PyroMessage reply, ReplyQueue.Waiter waiter)
    {
        var owner = _replies.TakeOldest();
        if (owner == waiter) return true;
        owner.Reply.TrySetResult(MessageReader.Detach(reply));
        return false;
    }
}
