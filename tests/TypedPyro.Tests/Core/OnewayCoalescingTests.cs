namespace TypedPyro.Tests.Core;

/// <summary>Small oneway requests are coalesced into fewer socket writes; none may be lost or reordered.</summary>
public sealed class OnewayCoalescingTests
{
    private sealed class Recorder
    {
        public readonly List<long> Seen = [];
        public TaskCompletionSource AllSeen = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public int Expected;

        public IPyroDispatcher Create() => new PyroObjectBuilder("Recorder")
            .Oneway("note", call =>
            {
                lock (Seen)
                {
                    Seen.Add((long)call.Args[0]!);
                    if (Seen.Count == Expected) AllSeen.TrySetResult();
                }
            })
            .Method("count", _ => { lock (Seen) return (long)Seen.Count; })
            .Build();
    }

    private static async Task<(PyroDaemon, PyroUri, Recorder)> StartAsync(int expected)
    {
        // Oneway calls run in arrival order (not on the thread pool), so the order seen is the order sent.
        var daemon = new PyroDaemon(new PyroDaemonOptions { Host = "127.0.0.1", Config = PyroConfig.Default.With(c => c.OnewayThreaded = false) });
        var recorder = new Recorder { Expected = expected };
        var uri = daemon.Register(recorder.Create(), "recorder");
        daemon.Start();
        await Task.Yield();
        return (daemon, uri, recorder);
    }

    [Fact]
    public async Task Oneway_calls_arrive_in_order_before_the_next_normal_call()
    {
        var (daemon, uri, recorder) = await StartAsync(5000);
        await using var _ = daemon;
        await using var proxy = new PyroProxy(uri);
        for (long i = 0; i < 5000; i++)
        {
            if (i % 2 == 0) await proxy.InvokeAsync("note", [i]);
            else proxy.Invoke("note", i); // the blocking path queues too
        }
        Assert.Equal(5000L, await proxy.InvokeAsync("count"));
        Assert.Equal(Enumerable.Range(0, 5000).Select(i => (long)i), recorder.Seen);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Oneway_calls_made_just_before_dispose_or_release_are_still_sent(bool dispose)
    {
        var (daemon, uri, recorder) = await StartAsync(300);
        await using var _ = daemon;
        var proxy = new PyroProxy(uri);
        for (long i = 0; i < 300; i++) await proxy.InvokeAsync("note", [i]);
        if (dispose) proxy.Dispose();
        else proxy.Release();
        await recorder.AllSeen.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(Enumerable.Range(0, 300).Select(i => (long)i), recorder.Seen);
        proxy.Dispose();
    }

    [Fact]
    public async Task A_lone_oneway_call_is_sent_without_a_call_after_it()
    {
        var (daemon, uri, recorder) = await StartAsync(1);
        await using var _ = daemon;
        await using var proxy = new PyroProxy(uri);
        await proxy.InvokeAsync("note", [42L]);
        await recorder.AllSeen.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal([42L], recorder.Seen);
    }
}
