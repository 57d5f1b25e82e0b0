using TypedPyro.Protocol;

namespace TypedPyro;

/// <summary>
/// A proxy's one-call-at-a-time lock, for blocking and async callers (an async call holds it across its awaits).
/// </summary>
/// <remarks>
/// Uncontended, entering and leaving are one interlocked instruction each. <c>SemaphoreSlim</c>, which this replaces,
/// takes its monitor on both: in a stream of oneway calls its <c>Release</c> alone was 3-5% of the end-to-end profile.
/// Callers that find the gate taken queue in order; leaving hands the gate to the first of them (it stays taken, so
/// nobody slips in between). A queued caller whose token is cancelled leaves the queue, unless the gate was already
/// handed to it: then it holds the gate and must leave it as usual.
/// </remarks>
internal sealed class CallGate : CacheLineIsolated
{
#pragma warning disable CS0169 // never read: the padding is the point
    private readonly CacheLinePadding _trail;
#pragma warning restore CS0169

    private int _held;    // 1 while a caller holds the gate
    private int _waiting; // callers in the queue, or about to join it (changed only under _queueLock)
    private readonly Lock _queueLock = new();
    private readonly LinkedList<TaskCompletionSource> _queue = new();

    /// <summary>Takes the gate, blocking until it is free.</summary>
    public void Enter()
    {
        if (!TryEnter()) EnterSlowAsync(CancellationToken.None).GetAwaiter().GetResult();
    }

    /// <summary>Takes the gate, blocking at most <paramref name="timeout"/>; false when it could not.</summary>
    public bool Enter(TimeSpan timeout)
    {
        if (TryEnter()) return true;
        using var expiry = new CancellationTokenSource(timeout);
        try
        {
            EnterSlowAsync(expiry.Token).GetAwaiter().GetResult();
            return true;
        }
        catch (OperationCanceledException) when (expiry.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>Takes the gate when it is free; a cancelled token fails the wait (even when the gate is free).</summary>
    public ValueTask EnterAsync(CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested) return ValueTask.FromCanceled(cancellationToken);
        return TryEnter() ? ValueTask.CompletedTask : new ValueTask(EnterSlowAsync(cancellationToken));
    }

    /// <summary>Leaves the gate, handing it to the first queued caller if there is one.</summary>
    public void Exit()
    {
        if (Volatile.Read(ref _waiting) == 0)
        {
            // A full fence between freeing the gate and looking at the queue: a caller that queues meanwhile either
            // sees the gate free or is seen here.
            Interlocked.Exchange(ref _held, 0);
            if (Volatile.Read(ref _waiting) == 0) return;
            lock (_queueLock)
            {
                if (_queue.Count > 0 && TryEnter()) HandOff();
            }
            return;
        }
        lock (_queueLock)
        {
            if (_queue.Count > 0) HandOff();
            else Interlocked.Exchange(ref _held, 0); // the waiter counted outside the lock was cancelled since
        }
    }

    private bool TryEnter() => Interlocked.CompareExchange(ref _held, 1, 0) == 0;

    private Task EnterSlowAsync(CancellationToken cancellationToken)
    {
        TaskCompletionSource entered;
        LinkedListNode<TaskCompletionSource> node;
        lock (_queueLock)
        {
            Interlocked.Increment(ref _waiting);
            if (TryEnter())
            {
                Interlocked.Decrement(ref _waiting);
                return Task.CompletedTask;
            }
            // Continuations run on the thread pool: the gate is handed over under _queueLock.
            entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            node = _queue.AddLast(entered);
        }
        if (cancellationToken.CanBeCanceled)
        {
            var registration = cancellationToken.UnsafeRegister(static (state, token) =>
            {
                var (gate, node) = ((CallGate, LinkedListNode<TaskCompletionSource>))state!;
                gate.Cancel(node, token);
            }, (this, node));
            // Unregister, not Dispose: Dispose would wait for a running callback, which may be waiting for the lock.
            entered.Task.ContinueWith(static (_, r) => ((CancellationTokenRegistration)r!).Unregister(), registration,
                CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
        return entered.Task;
    }

    /// <summary>A queued caller gives up, unless the gate was handed to it already.</summary>
    private void Cancel(LinkedListNode<TaskCompletionSource> node, CancellationToken token)
    {
        lock (_queueLock)
        {
            if (node.List is null) return; // handed the gate: the caller holds it
            _queue.Remove(node);
            Interlocked.Decrement(ref _waiting);
        }
        node.Value.TrySetCanceled(token);
    }

    /// <summary>Gives the held gate to the first queued caller (under _queueLock).</summary>
    private void HandOff()
    {
        var first = _queue.First!;
        _queue.RemoveFirst();
        Interlocked.Decrement(ref _waiting);
        first.Value.TrySetResult();
    }
}
