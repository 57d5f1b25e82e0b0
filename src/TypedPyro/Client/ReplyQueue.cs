using TypedPyro.Protocol;

namespace TypedPyro;

/// <summary>
/// The calls in flight on a pipelined proxy connection, in the order their requests were sent (which is the order a
/// Pyro daemon replies in). One waiting caller at a time is the reader: it reads replies, hands each earlier caller its
/// own, and passes the reader's role on when its own reply has come.
/// </summary>
internal sealed class ReplyQueue
{
    private readonly Queue<Waiter> _waiting = new();
    private readonly Lock _lock = new();
    private bool _reading;

    /// <summary>One sent request. Its task gives the reply (a copy the waiter owns), or null: "you read now".</summary>
    public sealed class Waiter
    {
        public TaskCompletionSource<PyroMessage?> Reply { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>Registers a sent request; true when its caller is to read (nobody else is).</summary>
    public bool Enqueue(Waiter waiter)
    {
        lock (_lock)
        {
            _waiting.Enqueue(waiter);
            if (_reading) return false;
            _reading = true;
            return true;
        }
    }

    /// <summary>The waiter the reply just read belongs to (the oldest).</summary>
    public Waiter TakeOldest()
    {
        lock (_lock)
        {
            return _waiting.TryDequeue(out var oldest) ? oldest : throw new ProtocolException("a reply arrived for no request");
        }
    }

    /// <summary>The reader is done with the connection's buffer: the oldest waiter, if any, reads next.</summary>
    public void PassOnReading()
    {
        lock (_lock)
        {
            if (_waiting.TryPeek(out var next)) next.Reply.TrySetResult(null);
            else _reading = false;
        }
    }

    /// <summary>The connection failed: every call in flight fails with <paramref name="error"/>.</summary>
    public void FailAll(Exception error)
    {
        lock (_lock)
        {
            while (_waiting.TryDequeue(out var waiter)) waiter.Reply.TrySetException(error);
            _reading = false;
        }
    }
}
