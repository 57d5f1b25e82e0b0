namespace TypedPyro.Tests.Client;

/// <summary>The proxy's one-call-at-a-time lock: exclusion, queue order, cancellation and timeouts.</summary>
public sealed class CallGateTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Only_one_caller_at_a_time_among_blocking_and_async_callers()
    {
        var gate = new CallGate();
        int inside = 0, overlaps = 0;
        long count = 0;
        async Task Worker(int id)
        {
            for (int i = 0; i < 2000; i++)
            {
                if ((id + i) % 2 == 0) gate.Enter();
                else await gate.EnterAsync(CancellationToken.None);
                if (Interlocked.Increment(ref inside) != 1) Interlocked.Increment(ref overlaps);
                long seen = count; // not atomic on purpose: the gate must make it so
                if (i % 64 == 0) await Task.Yield(); // hold the gate across an await, as an async call does
                count = seen + 1;
                Interlocked.Decrement(ref inside);
                gate.Exit();
            }
        }
        await Task.WhenAll(Enumerable.Range(0, 8).Select(id => Task.Run(() => Worker(id)))).WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(0, overlaps);
        Assert.Equal(8 * 2000, count);
    }

    [Fact]
    public async Task Queued_callers_get_the_gate_in_the_order_they_came()
    {
        var gate = new CallGate();
        gate.Enter();
        var order = new List<int>();
        var waiters = new List<Task>();
        for (int i = 0; i < 5; i++)
        {
            int id = i;
            var entered = gate.EnterAsync(CancellationToken.None);
            Assert.False(entered.IsCompleted);
            waiters.Add(entered.AsTask().ContinueWith(_ =>
            {
                lock (order) order.Add(id);
                gate.Exit();
            }, TaskScheduler.Default));
        }
        gate.Exit();
        await Task.WhenAll(waiters).WaitAsync(Patience);
        Assert.Equal([0, 1, 2, 3, 4], order);
        Assert.True(gate.Enter(TimeSpan.Zero)); // free again
    }

    [Fact]
    public async Task A_cancelled_waiter_leaves_the_queue_and_the_next_one_gets_the_gate()
    {
        var gate = new CallGate();
        gate.Enter();
        using var cancel = new CancellationTokenSource();
        var cancelled = gate.EnterAsync(cancel.Token).AsTask();
        var next = gate.EnterAsync(CancellationToken.None).AsTask();
        cancel.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled.WaitAsync(Patience));
        Assert.False(next.IsCompleted);
        gate.Exit();
        await next.WaitAsync(Patience);
        gate.Exit();

        // A token already cancelled fails at once, even with the gate free (as SemaphoreSlim.WaitAsync does).
        Assert.True(gate.EnterAsync(new CancellationToken(canceled: true)).IsCanceled);
        Assert.True(gate.Enter(TimeSpan.Zero));
        gate.Exit();
    }

    [Fact]
    public async Task A_timed_enter_gives_up_when_the_gate_stays_taken()
    {
        var gate = new CallGate();
        gate.Enter();
        Assert.False(await Task.Run(() => gate.Enter(TimeSpan.FromMilliseconds(50))));
        var later = Task.Run(() => gate.Enter(Patience));
        await Task.Delay(50);
        gate.Exit();
        Assert.True(await later.WaitAsync(Patience));
        gate.Exit();
    }

    [Fact]
    public async Task Cancellations_racing_hand_offs_lose_no_gate()
    {
        // Waiters with tiny timeouts come and go while the gate passes between holders: every wait either gets the
        // gate (and leaves it) or is cancelled, and the gate is free at the end.
        var gate = new CallGate();
        int entered = 0;
        var tasks = Enumerable.Range(0, 8).Select(id => Task.Run(async () =>
        {
            for (int i = 0; i < 500; i++)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromTicks(Random.Shared.Next(1, 2000)));
                try
                {
                    await gate.EnterAsync(timeout.Token);
                }
                catch (OperationCanceledException)
                {
                    continue;
                }
                Interlocked.Increment(ref entered);
                if (i % 3 == 0) await Task.Yield();
                gate.Exit();
            }
        })).ToArray();
        await Task.WhenAll(tasks).WaitAsync(TimeSpan.FromSeconds(60));
        Assert.True(entered > 0);
        Assert.True(gate.Enter(TimeSpan.Zero));
    }

    [Fact]
    public void A_caller_arriving_as_the_holder_leaves_is_never_stranded()
    {
        // Two threads meet at a barrier, then one leaves the gate while the other enters it, many times over: the
        // window between "nobody waits" and "the gate is free" must not swallow the newcomer (nothing else would
        // ever wake it: there is no third caller here).
        var gate = new CallGate();
        using var start = new Barrier(2);
        const int rounds = 20_000;
        int stranded = 0;
        var newcomer = new Thread(() =>
        {
            for (int i = 0; i < rounds; i++)
            {
                start.SignalAndWait();
                if (!gate.Enter(TimeSpan.FromSeconds(5)))
                {
                    Interlocked.Increment(ref stranded);
                    return;
                }
                gate.Exit();
                start.SignalAndWait();
            }
        });
        newcomer.Start();
        for (int i = 0; i < rounds && Volatile.Read(ref stranded) == 0; i++)
        {
            gate.Enter();
            start.SignalAndWait();
            Thread.SpinWait(i % 50);
            gate.Exit();
            if (!start.SignalAndWait(TimeSpan.FromSeconds(10))) break;
        }
        newcomer.Join(TimeSpan.FromSeconds(30));
        Assert.Equal(0, stranded);
    }
}
