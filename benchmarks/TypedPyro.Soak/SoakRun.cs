using System.Diagnostics;

namespace TypedPyro.Soak;

/// <summary>The figures of one soak run and whether they meet the bar (nothing lost, sockets and memory back).</summary>
public sealed record SoakResult(int CSharpClients, int PythonClients, TimeSpan Duration, long Calls, long Reconnects,
    long Mismatched, long Failed, int SocketsStart, int SocketsEnd, int DaemonConnectionsEnd, long HeapStart, long HeapEnd,
    long? RuntimeQueueStart = null, long? RuntimeQueueEnd = null, int ThreadsStart = 0, int ThreadsEnd = 0)
{
    public bool Passed => Calls > 0 && Mismatched == 0 && Failed == 0 && DaemonConnectionsEnd == 0
        && SocketsEnd <= SocketsStart + SocketsStart / 10 && JudgedHeapEnd <= JudgedHeapStart + JudgedHeapStart / 10;

    /// <summary>The heap the bar judges: without the runtime's socket event queue when it could be weighed (see <see cref="SocketEventQueue"/>).</summary>
    public long JudgedHeapStart => HeapStart - (RuntimeQueueStart ?? 0);

    /// <inheritdoc cref="JudgedHeapStart"/>
    public long JudgedHeapEnd => HeapEnd - (RuntimeQueueEnd ?? 0);

    public override string ToString() =>
        $"soak {Duration.TotalSeconds:F0} s, {CSharpClients} C# + {PythonClients} Python clients: {Calls} calls " +
        $"({Calls / Math.Max(1, Duration.TotalSeconds):F0}/s), {Reconnects} reconnects, {Mismatched} mismatched/duplicate, {Failed} failed; " +
        $"process sockets {SocketsStart} -> {SocketsEnd}, daemon connections left {DaemonConnectionsEnd}; managed heap {HeapStart / 1024} KiB -> {HeapEnd / 1024} KiB " +
        $"({HeapGrowthPerCall:F3} B per call){RuntimeQueueText}; thread-pool threads {ThreadsStart} -> {ThreadsEnd}: {(Passed ? "PASS" : "FAIL")}";

    private string RuntimeQueueText => RuntimeQueueStart is { } start && RuntimeQueueEnd is { } end
        ? $", of which the runtime's socket event queue {start / 1024} KiB -> {end / 1024} KiB; without it {JudgedHeapStart / 1024} KiB -> {JudgedHeapEnd / 1024} KiB ({100.0 * (JudgedHeapEnd - JudgedHeapStart) / JudgedHeapStart:+0.0;-0.0}%)"
        : ", the runtime's socket event queue could not be weighed";

    /// <summary>Heap growth spread over the calls made: any object leaked per call or per connection shows as 24 B or more.</summary>
    public double HeapGrowthPerCall => Calls == 0 ? 0 : (double)(HeapEnd - HeapStart) / Calls;
}

/// <summary>
/// Many clients (C# tasks in this process and Python Pyro4 processes) call one .NET daemon's echo with a unique id,
/// dropping and reopening their connection at random; every reply must be the id that was sent, exactly once.
/// </summary>
public static class SoakRun
{
    private const string PythonClient = """
        import sys, time, random, Pyro4, Pyro4.errors
        uri, seconds, me = sys.argv[1], float(sys.argv[2]), sys.argv[3]
        end = time.time() + seconds; calls = bad = reconnects = 0
        p = Pyro4.Proxy(uri)
        while time.time() < end:
            if random.random() < 0.05:
                p._pyroRelease(); p = Pyro4.Proxy(uri); reconnects += 1
            key = "%s-%d" % (me, calls)
            if p.echo(key) != key: bad += 1
            calls += 1
        p._pyroRelease()
        print(calls, bad, reconnects)
        """;

    /// <param name="workerRetirement">
    /// How long to wait at the end for the runtime's thread pool to retire the worker threads the load added, before the heap
    /// is weighed: each worker carries the runtime's per-thread caches (ArrayPool buffers, contexts), which are the runtime's,
    /// not the daemon's. Zero weighs at once (short runs inside the test suite, which do not judge the heap).
    /// </param>
    /// <param name="warmUp">
    /// The load before the baseline is taken; by default a tenth of the run (1 to 5 s) with two Python clients. A full-length
    /// warm-up with every client is the leak test proper: the second round must add nothing the first did not.
    /// </param>
    /// <param name="measured">Called right after the heap is weighed at the start and at the end (to take an outside heap snapshot then).</param>
    public static async Task<SoakResult> RunAsync(TimeSpan duration, int csharpClients, int pythonClients,
        TimeSpan workerRetirement = default, TimeSpan? warmUp = null, Func<string, Task>? measured = null)
    {
        int workersIdle = ThreadPool.ThreadCount + 1; // the runtime keeps an idle worker about 20 s; one more may be waking
        var config = PyroConfig.Default.With(c => c.ThreadPoolSize = 2 * (csharpClients + pythonClients) + 8);
        // Twice the clients: a client that drops its connection and reconnects at once holds two workers until the daemon
        // notices the close (as with Python's thread pool), and the soak is about lost replies, not the pool limit.
        await using var daemon = new PyroDaemon(new PyroDaemonOptions { Host = "127.0.0.1", Config = config });
        var uri = daemon.Register(new PyroObjectBuilder("Echo").Method("echo", call => call.Arg(0, "message")).Build(), "echo");
        daemon.Start();
        // Warm up first at full load (JIT, serializer caches, pooled buffers, and the runtime's socket engine tables, which grow
        // to the peak number of socket events and never shrink), so the baseline is the steady state.
        var warmFor = warmUp ?? TimeSpan.FromSeconds(Math.Clamp(duration.TotalSeconds / 10, 1, 5));
        int warmPythonClients = warmUp is null ? Math.Min(pythonClients, 2) : pythonClients;
        var warm = new Counters();
        var warmPython = Enumerable.Range(0, warmPythonClients).Select(i => RunPythonAsync(uri.ToString(), warmFor, -1 - i)).ToArray();
        await RunCSharpClientsAsync(uri, csharpClients, warmFor, warm);
        foreach (var (_, bad, _) in await Task.WhenAll(warmPython)) warm.Failed += bad;
        Array.Clear(warmPython); // the harness's own finished tasks must not be weighed as the daemon's heap
        int socketsStart = await SettledSocketsAsync(int.MaxValue);
        await RetiredWorkersAsync(workersIdle, workerRetirement);
        long heapStart = Heap();
        long? queueStart = SocketEventQueue.Bytes();
        int threadsStart = ThreadPool.ThreadCount;
        if (measured is not null) await measured("start");

        var counters = new Counters();
        var clock = Stopwatch.StartNew();
        var pythons = Enumerable.Range(0, pythonClients).Select(i => RunPythonAsync(uri.ToString(), duration, i)).ToArray();
        await RunCSharpClientsAsync(uri, csharpClients, duration, counters);
        long calls = counters.Calls, reconnects = counters.Reconnects, mismatched = counters.Mismatched, failed = counters.Failed + warm.Failed + warm.Mismatched;
        foreach (var (pyCalls, pyBad, pyReconnects) in await Task.WhenAll(pythons))
        {
            if (pyCalls < 0) { failed++; continue; }
            calls += pyCalls; mismatched += pyBad; reconnects += pyReconnects;
        }
        Array.Clear(pythons);
        var elapsed = clock.Elapsed;
        int socketsEnd = await SettledSocketsAsync(socketsStart);
        for (int i = 0; i < 100 && daemon.ConnectionCount > 0; i++) await Task.Delay(50);
        int connectionsEnd = daemon.ConnectionCount;
        await Task.Delay(1000); // let finished connections' last continuations run before the heap is weighed
        await RetiredWorkersAsync(workersIdle, workerRetirement);
        var result = new SoakResult(csharpClients, pythonClients, elapsed, calls, reconnects, mismatched, failed, socketsStart, socketsEnd, connectionsEnd, heapStart, Heap(),
            queueStart, SocketEventQueue.Bytes(), threadsStart, ThreadPool.ThreadCount);
        if (measured is not null) await measured("end");
        return result;
    }

    private sealed class Counters { public long Calls, Reconnects, Mismatched, Failed; }

    /// <summary>The daemon notices closed connections asynchronously: waits (bounded) for its socket count to reach <paramref name="target"/> or stop falling.</summary>
    private static async Task<int> SettledSocketsAsync(int target)
    {
        int sockets = CountSockets();
        for (int i = 0; i < 200 && sockets > target; i++) { await Task.Delay(50); sockets = CountSockets(); }
        if (target == int.MaxValue) { await Task.Delay(500); sockets = CountSockets(); }
        return sockets;
    }

    private static async Task RunCSharpClientsAsync(PyroUri uri, int csharpClients, TimeSpan duration, Counters counters)
    {
        var clock = Stopwatch.StartNew();
        var tasks = Enumerable.Range(0, csharpClients).Select(client => Task.Run(async () =>
        {
            var random = new Random(client);
            var proxy = new PyroProxy(uri);
            long n = 0;
            try
            {
                while (clock.Elapsed < duration)
                {
                    if (random.Next(20) == 0) { await proxy.DisposeAsync(); proxy = new PyroProxy(uri); Interlocked.Increment(ref counters.Reconnects); }
                    var key = $"cs{client}-{n++}";
                    try
                    {
                        if (!Equals(await proxy.InvokeAsync("echo", [key]), key)) Interlocked.Increment(ref counters.Mismatched);
                    }
                    catch (PyroException) { Interlocked.Increment(ref counters.Failed); }
                    Interlocked.Increment(ref counters.Calls);
                }
            }
            finally { await proxy.DisposeAsync(); }
        })).ToArray();
        await Task.WhenAll(tasks);
    }

    private static async Task<(long Calls, long Bad, long Reconnects)> RunPythonAsync(string uri, TimeSpan duration, int id)
    {
        var info = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "-c", PythonClient, uri, duration.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture), "py" + id })
            info.ArgumentList.Add(a);
        info.Environment.Remove("PYRO_HMAC_KEY");
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var parts = (await stdout).Trim().Split(' ');
        if (process.ExitCode != 0 || parts.Length != 3)
        {
            await Console.Error.WriteLineAsync($"python client {id} failed (exit {process.ExitCode}): {await stderr}");
            return (-1, 1, 0);
        }
        return (long.Parse(parts[0]), long.Parse(parts[1]), long.Parse(parts[2]));
    }

    /// <summary>Open sockets of this process (the daemon's listener and connections, plus C# clients' ends).</summary>
    private static int CountSockets() =>
        Directory.EnumerateFileSystemEntries("/proc/self/fd").Count(fd =>
        {
            try { return new FileInfo(fd).LinkTarget?.StartsWith("socket:", StringComparison.Ordinal) == true; }
            catch (IOException) { return false; }
        });

    /// <summary>Waits (at most <paramref name="limit"/>) until the thread pool is back to <paramref name="target"/> threads.</summary>
    private static async Task RetiredWorkersAsync(int target, TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        while (ThreadPool.ThreadCount > target && clock.Elapsed < limit) await Task.Delay(500);
    }

    /// <summary>The live managed heap: after compacting full collections, so free space between survivors is not counted.</summary>
    private static long Heap()
    {
        System.Runtime.GCSettings.LargeObjectHeapCompactionMode = System.Runtime.GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        return GC.GetTotalMemory(forceFullCollection: false);
    }
}
