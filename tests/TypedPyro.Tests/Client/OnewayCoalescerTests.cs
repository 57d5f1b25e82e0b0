namespace TypedPyro.Tests.Client;

/// <summary>
/// The oneway queue on its own: frames go out whole and in order, a direct write never overtakes a background write,
/// a full queue pushes back, and frames never cross to another connection.
/// </summary>
public sealed class OnewayCoalescerTests
{
    /// <summary>A connection that records what is written to it; asynchronous writes may be held until released.</summary>
    private sealed class RecordingStream : Stream
    {
        private readonly List<byte> _written = [];
        public TaskCompletionSource? HoldAsyncWrites;
        public TaskCompletionSource AsyncWriteStarted = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public bool FailAsyncWrites;
        public int AsyncWrites;

        public byte[] Written
        {
            get { lock (_written) return [.. _written]; }
        }

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            lock (_written) _written.AddRange(buffer.ToArray());
        }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref AsyncWrites);
            AsyncWriteStarted.TrySetResult();
            if (HoldAsyncWrites is { } hold) await hold.Task;
            if (FailAsyncWrites) throw new IOException("connection reset");
            Write(buffer.Span);
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }

    private static byte[] Frame(int number, int size = 8) => Enumerable.Repeat((byte)number, size).ToArray();

    private static async Task UntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("the background flush did not happen");
            await Task.Delay(1);
        }
    }

    [Fact]
    public async Task Queued_frames_go_out_whole_and_in_order_in_the_background()
    {
        var stream = new RecordingStream();
        var coalescer = new OnewayCoalescer(() => stream, _ => { });
        for (int i = 0; i < 200; i++) Assert.True(coalescer.TryQueue(stream, Frame(i)));

        byte[] expected = [.. Enumerable.Range(0, 200).SelectMany(i => Frame(i))];
        await UntilAsync(() => stream.Written.Length == expected.Length);
        Assert.Equal(expected, stream.Written);
        Assert.InRange(stream.AsyncWrites, 1, 199); // coalesced: fewer writes than frames
    }

    [Fact]
    public async Task A_direct_write_waits_for_the_background_write_in_flight_and_follows_it()
    {
        var stream = new RecordingStream { HoldAsyncWrites = new(TaskCreationOptions.RunContinuationsAsynchronously) };
        var coalescer = new OnewayCoalescer(() => stream, _ => { });
        coalescer.TryQueue(stream, Frame(1));
        await stream.AsyncWriteStarted.Task.WaitAsync(TimeSpan.FromSeconds(10)); // frame 1 is being written, held
        coalescer.TryQueue(stream, Frame(2)); // queued behind it

        // The caller holds the proxy's gate and writes its own frame after the queue, as SendRequest does.
        var direct = Task.Run(() =>
        {
            coalescer.Flush(stream);
            stream.Write(Frame(3));
        });
        await Task.Delay(50);
        Assert.False(direct.IsCompleted); // waiting for frame 1's write
        Assert.Empty(stream.Written);

        stream.HoldAsyncWrites.SetResult();
        await direct.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal([.. Frame(1), .. Frame(2), .. Frame(3)], stream.Written);
    }

    [Fact]
    public async Task A_full_queue_refuses_the_frame_so_the_caller_writes_it_itself()
    {
        var stream = new RecordingStream { HoldAsyncWrites = new(TaskCreationOptions.RunContinuationsAsynchronously) };
        var coalescer = new OnewayCoalescer(() => stream, _ => { });
        var big = Frame(7, 1024);
        int queued = 0;
        while (queued < 1000 && coalescer.TryQueue(stream, big)) queued++;
        // The first frames may already be on their way (held); the rest fill the queue to its limit.
        Assert.InRange(queued, OnewayCoalescer.QueueLimit / 1024, 2 * OnewayCoalescer.QueueLimit / 1024 + 1);

        stream.HoldAsyncWrites.SetResult();
        coalescer.Flush(stream); // what a caller does with a refused frame: flush, then write it
        stream.Write(big);
        Assert.Equal((queued + 1) * 1024, stream.Written.Length);
    }

    [Fact]
    public async Task A_failed_background_write_closes_its_connection()
    {
        var stream = new RecordingStream { FailAsyncWrites = true };
        var closed = new TaskCompletionSource<Stream>(TaskCreationOptions.RunContinuationsAsynchronously);
        var coalescer = new OnewayCoalescer(() => stream, failed => closed.TrySetResult(failed));
        coalescer.TryQueue(stream, Frame(1));
        Assert.Same(stream, await closed.Task.WaitAsync(TimeSpan.FromSeconds(10)));

        // The failure does not stick to the coalescer: a direct write after it works.
        coalescer.Flush(stream);
        stream.Write(Frame(2));
        Assert.Equal(Frame(2), stream.Written);
    }

    [Fact]
    public async Task Frames_queued_for_an_earlier_connection_never_reach_a_new_one()
    {
        var old = new RecordingStream { HoldAsyncWrites = new(TaskCreationOptions.RunContinuationsAsynchronously) };
        var fresh = new RecordingStream();
        Stream current = old;
        var coalescer = new OnewayCoalescer(() => current, _ => { });
        coalescer.TryQueue(old, Frame(1));
        await old.AsyncWriteStarted.Task.WaitAsync(TimeSpan.FromSeconds(10));
        coalescer.TryQueue(old, Frame(2)); // still queued when the connection is replaced

        current = fresh;
        old.HoldAsyncWrites.SetResult();
        coalescer.Flush(fresh); // the next call on the new connection
        coalescer.TryQueue(fresh, Frame(3));
        await UntilAsync(() => fresh.Written.Length > 0);

        Assert.Equal(Frame(3), fresh.Written);
        Assert.Equal(Frame(1), old.Written);
    }
}
