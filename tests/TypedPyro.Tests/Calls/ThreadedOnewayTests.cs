using System.Collections.Concurrent;
using System.Text;
using Microsoft.Extensions.Logging;

namespace TypedPyro.Tests.Calls;

/// <summary>
/// ONEWAY_THREADED (the default): each oneway call runs as a thread-pool work item of its own. These pin down what any
/// way of running them must keep: no call waits for an earlier one, each has its own context, failures are logged.
/// </summary>
public sealed class ThreadedOnewayTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task A_oneway_call_that_blocks_does_not_hold_up_the_oneway_calls_after_it()
    {
        using var release = new ManualResetEventSlim();
        using var fastRan = new CountdownEvent(20);
        await using var daemon = new PyroDaemon(new PyroDaemonOptions { Host = "127.0.0.1" });
        var uri = daemon.Register(new PyroObjectBuilder("Blocking")
            // Blocks its thread (not an await): a worker draining calls in order would stop here.
            .Oneway("block", _ => release.Wait(Timeout))
            .Oneway("fast", _ => fastRan.Signal())
            .Build(), "blocking");
        daemon.Start();
        await using var proxy = new PyroProxy(uri);

        await proxy.InvokeOnewayAsync("block");
        for (int i = 0; i < 20; i++) await proxy.InvokeOnewayAsync("fast");

        bool allRan = fastRan.Wait(Timeout);
        bool stillBlocked = !release.IsSet;
        release.Set();
        Assert.True(allRan, $"{fastRan.CurrentCount} fast calls did not run while the blocking one waited");
        Assert.True(stillBlocked);
    }

    [Fact]
    public async Task Two_blocking_oneway_calls_run_at_the_same_time()
    {
        // Calls stay concurrent with each other: each blocking call waits for the other to start.
        using var bothStarted = new CountdownEvent(2);
        int finished = 0;
        await using var daemon = new PyroDaemon(new PyroDaemonOptions { Host = "127.0.0.1" });
        var uri = daemon.Register(new PyroObjectBuilder("Meet")
            .Oneway("meet", _ =>
            {
                bothStarted.Signal();
                if (bothStarted.Wait(Timeout)) Interlocked.Increment(ref finished);
            })
            .Build(), "meet");
        daemon.Start();
        await using var proxy = new PyroProxy(uri);

        await proxy.InvokeOnewayAsync("meet");
        await proxy.InvokeOnewayAsync("meet");

        Assert.True(bothStarted.Wait(Timeout));
        await Eventually(() => Volatile.Read(ref finished) == 2);
    }

    [Fact]
    public async Task A_thousand_fast_oneway_calls_all_run()
    {
        int ran = 0;
        await using var daemon = new PyroDaemon(new PyroDaemonOptions { Host = "127.0.0.1" });
        var uri = daemon.Register(new PyroObjectBuilder("Count")
            .Oneway("hit", _ => Interlocked.Increment(ref ran))
            .Build(), "count");
        daemon.Start();
        await using var proxy = new PyroProxy(uri);

        for (int i = 0; i < 1000; i++) await proxy.InvokeOnewayAsync("hit");

        await Eventually(() => Volatile.Read(ref ran) == 1000);
    }

    [Fact]
    public async Task Each_queued_oneway_call_sees_its_own_context_and_annotations()
    {
        var seen = new ConcurrentBag<(string Arg, string Annotation, ushort Sequence, bool Same)>();
        await using var daemon = new PyroDaemon(new PyroDaemonOptions { Host = "127.0.0.1" });
        var uri = daemon.Register(new PyroObjectBuilder("Ctx")
            .Oneway("tag", call =>
            {
                var ctx = PyroCallContext.Current!;
                seen.Add(((string)call.Args[0]!, Encoding.ASCII.GetString(ctx.UserAnnotations["XTRA"].Span), ctx.Sequence, ReferenceEquals(ctx, call.Context)));
            })
            .Build(), "ctx");
        daemon.Start();
        await using var proxy = new PyroProxy(uri);

        for (int i = 0; i < 200; i++)
        {
            proxy.Annotations["XTRA"] = Encoding.ASCII.GetBytes($"a{i}");
            await proxy.InvokeOnewayAsync("tag", [$"a{i}"]);
        }

        await Eventually(() => seen.Count == 200);
        Assert.All(seen, s => Assert.Equal(s.Arg, s.Annotation));
        Assert.All(seen, s => Assert.True(s.Same));
        Assert.Equal(200, seen.Select(s => s.Sequence).Distinct().Count());
    }

    [Fact]
    public async Task A_failing_oneway_call_is_logged_and_the_connection_keeps_serving()
    {
        var logger = new CapturingLogger();
        int ran = 0;
        await using var daemon = new PyroDaemon(new PyroDaemonOptions { Host = "127.0.0.1" }, logger);
        var uri = daemon.Register(new PyroObjectBuilder("Fail")
            .Oneway("fail", _ => throw new InvalidOperationException("boom"))
            .OnewayAsync("failLater", async _ =>
            {
                await Task.Yield();
                throw new InvalidOperationException("later");
            })
            .Oneway("hit", _ => Interlocked.Increment(ref ran))
            .Method("echo", call => call.Args[0])
            .Build(), "fail");
        daemon.Start();
        await using var proxy = new PyroProxy(uri);

        for (int i = 0; i < 10; i++)
        {
            await proxy.InvokeOnewayAsync("fail");
            await proxy.InvokeOnewayAsync("failLater");
            await proxy.InvokeOnewayAsync("hit");
        }
        Assert.Equal("still here", await proxy.InvokeAsync("echo", ["still here"]));

        await Eventually(() => Volatile.Read(ref ran) == 10 && logger.Count("Oneway call of fail failed", "boom") == 10
            && logger.Count("Oneway call of failLater failed", "later") == 10);
    }

    private static async Task Eventually(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met in time");
            await Task.Delay(10);
        }
    }

    private sealed class CapturingLogger : ILogger<PyroDaemon>
    {
        private readonly List<(string Message, Exception? Error)> _lines = [];
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (_lines) _lines.Add((formatter(state, exception), exception));
        }

        public int Count(string message, string error)
        {
            lock (_lines) return _lines.Count(l => l.Message == message && l.Error?.Message == error);
        }
    }
}
