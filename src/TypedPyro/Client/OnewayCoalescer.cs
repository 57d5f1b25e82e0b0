using TypedPyro.Protocol;

namespace TypedPyro;

/// <summary>
/// The small oneway frames of one proxy, queued and sent together in the background (see
/// <c>PyroProxy.OnewayQueue.cs</c> for how the proxy uses it).
/// </summary>
/// <remarks>
/// Two threads touch this object: callers append frames, and a thread-pool flush swaps the two buffers and writes one
/// to the socket. A spin flag (<see cref="Acquire"/>) guards what both change; a direct writer that has claimed the
/// queue reads it without the flag, since nothing else touches it until it lets go. Callers never wait for the socket,
/// and the flush never waits for the proxy's call gate.
/// <para>
/// The padding (<see cref="CacheLineIsolated"/>) keeps the fields the flush writes off the cache lines of whatever the
/// heap puts next to this object. Before this class, the flush's buffers sat in the proxy beside its call gate, and <c>SemaphoreSlim.Release</c> was
/// 10% of the end-to-end oneway profile (false sharing); with the queue in this padded class it is under 2%.
/// </para>
/// </remarks>
internal sealed class OnewayCoalescer : CacheLineIsolated
{
    /// <summary>Above this many queued bytes a oneway frame is written directly, which pushes back on the caller.</summary>
    public const int QueueLimit = 64 * 1024;

    private int _busy; // 1 while a caller or the flush holds the queue (Acquire)
    private PooledBufferWriter _queued = new(256);
    private PooledBufferWriter _sending = new(256); // the frames the background write is sending
    private Stream? _queuedFor; // the connection the queued frames belong to: frames for another one are dropped
    private bool _flushScheduled;
    private const int YieldBelow = 16 * 1024; // queued bytes below which the flush yields once before taking them
    private bool _directFlush; // a direct writer owns the queue: the background flush leaves it alone
    private Task _backgroundWrite = Task.CompletedTask; // never faults: a failed write closes its connection instead
    private readonly Func<Stream?> _currentStream;
    private readonly Action<Stream> _closeFailed;
#pragma warning disable CS0169 // never read: the padding is the point
    private readonly CacheLinePadding _trail;
#pragma warning restore CS0169

    /// <param name="currentStream">The proxy's connection now (frames queued for an earlier one are dropped).</param>
    /// <param name="closeFailed">Closes a connection whose background write failed, so the next call fails over.</param>
    public OnewayCoalescer(Func<Stream?> currentStream, Action<Stream> closeFailed)
    {
        _currentStream = currentStream;
        _closeFailed = closeFailed;
    }

    /// <summary>
    /// Whether the background flush writes with a blocking call. The proxy sets it for a connection it made with
    /// blocking calls only: an async write would switch that socket to non-blocking mode for good (and slow every
    /// blocking call after it); a blocking write keeps it. The flush's thread then waits while the socket buffer is
    /// full, as the blocking caller would.
    /// </summary>
    public bool BlockingWrites
    {
        get => Volatile.Read(ref _blockingWrites);
        set => Volatile.Write(ref _blockingWrites, value);
    }

    private bool _blockingWrites;

    /// <summary>Queues a framed oneway request (the caller holds the proxy's gate); false when the queue is full.</summary>
    public bool TryQueue(Stream stream, ReadOnlySpan<byte> frame)
    {
        bool schedule;
        using (Acquire())
        {
            if (_queued.WrittenCount > 0 && _queuedFor != stream) _queued.ResetWrittenCount();
            if (_queued.WrittenCount + frame.Length > QueueLimit) return false;
            _queuedFor = stream;
            frame.CopyTo(_queued.GetSpan(frame.Length));
            _queued.Advance(frame.Length);
            schedule = !_flushScheduled;
            _flushScheduled = true;
        }
        if (schedule) ThreadPool.UnsafeQueueUserWorkItem(static queue => _ = queue.FlushInBackgroundAsync(), this, preferLocal: false);
        return true;
    }

    /// <summary>
    /// Before a direct write (the caller holds the proxy's gate, so nothing new is queued): waits for the background
    /// write in flight, then writes what is queued for <paramref name="stream"/>.
    /// </summary>
    public async ValueTask FlushAsync(Stream stream, CancellationToken token)
    {
        var inFlight = Claim();
        try
        {
            if (!inFlight.IsCompleted) await inFlight.ConfigureAwait(false);
            if (_queued.WrittenCount > 0 && _queuedFor == stream) await stream.WriteAsync(_queued.WrittenMemory, token).ConfigureAwait(false);
        }
        finally
        {
            Unclaim();
        }
    }

    /// <summary><see cref="FlushAsync"/> with blocking writes.</summary>
    public void Flush(Stream stream)
    {
        var inFlight = Claim();
        try
        {
            if (!inFlight.IsCompleted) inFlight.GetAwaiter().GetResult();
            if (_queued.WrittenCount > 0 && _queuedFor == stream) stream.Write(_queued.WrittenSpan);
        }
        finally
        {
            Unclaim();
        }
    }

    /// <summary>A direct writer takes the queue over; returns the background write to wait for.</summary>
    private Task Claim()
    {
        using (Acquire())
        {
            _directFlush = true;
            return _backgroundWrite;
        }
    }

    /// <summary>The direct writer is done with the queue: it was written, or lost with the connection.</summary>
    private void Unclaim()
    {
        using (Acquire())
        {
            _queued.ResetWrittenCount();
            _directFlush = false;
        }
    }

    private async Task FlushInBackgroundAsync()
    {
        // The previous background write sends the other buffer: it must be done before the buffers swap again.
        if (!_backgroundWrite.IsCompleted) await _backgroundWrite.ConfigureAwait(false);
        // Let the caller queue more before the swap when little is queued: on a busy machine the flush would otherwise
        // take a few frames per socket write, and each loopback write also runs the receiver's TCP processing. One
        // yield (a no-op when nothing else is runnable on this core) took the frames per write up and a typed oneway
        // stream on the 2-core VM from 3.2-4.1M to 3.4-4.7M calls/s (six runs each, alternating; docs/performance.md).
        // A call that is not a small oneway does not wait for it: it takes the queue over and writes it itself.
        // A hint read without the flag: the flush that swaps the buffers is this one, and callers only append.
        if (_queued.WrittenCount < YieldBelow) Thread.Yield();
        Stream stream;
        PooledBufferWriter frames;
        TaskCompletionSource written;
        using (Acquire())
        {
            _flushScheduled = false;
            // A direct writer holding the queue writes it itself.
            if (_directFlush || _queued.WrittenCount == 0) return;
            if (_currentStream() is not { } current || _queuedFor != current)
            {
                _queued.ResetWrittenCount();
                return;
            }
            (stream, frames) = (current, _queued);
            (_queued, _sending) = (_sending, _queued);
            _queued.Trim();
            // Set before the lock opens: a direct writer that comes next waits for these frames to go first.
            written = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _backgroundWrite = written.Task;
        }

        try
        {
            if (BlockingWrites) stream.Write(frames.WrittenSpan);
            else await stream.WriteAsync(frames.WrittenMemory).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // The flush cannot close the connection properly (that needs the proxy's gate, whose holder may be waiting
            // for this very write). Closing the stream makes the next call fail over to a new connection.
            _closeFailed(stream);
        }
        finally
        {
            frames.ResetWrittenCount();
            frames.Trim();
            written.SetResult();
        }
    }

    /// <summary>
    /// Holds the queue for a few instructions (append a frame, or swap the buffers). A flag taken with one
    /// compare-exchange and let go with a plain release store, instead of <see cref="Lock"/>: every oneway call takes
    /// it, and <c>Lock.Exit</c>'s interlocked release was 7% of the end-to-end oneway profile (perf, W3 unthreaded);
    /// a typed oneway loop to a daemon went 2.5-2.9M calls/s -> 3.1-3.3M (one run 4.6M; same machine, one after the
    /// other). Nobody holds it across a write or a wait, so a contender only ever spins briefly.
    /// </summary>
    private SpinScope Acquire()
    {
        if (Interlocked.CompareExchange(ref _busy, 1, 0) != 0) AcquireSlow();
        return new SpinScope(this);
    }

    private void AcquireSlow()
    {
        var spin = new SpinWait();
        while (Volatile.Read(ref _busy) != 0 || Interlocked.CompareExchange(ref _busy, 1, 0) != 0) spin.SpinOnce();
    }

    private readonly ref struct SpinScope(OnewayCoalescer owner)
    {
        public void Dispose() => Volatile.Write(ref owner._busy, 0);
    }
}
