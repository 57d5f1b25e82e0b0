using System.Diagnostics;

namespace TypedPyro.Soak;

/// <summary>What is taken of the daemon at a weighing: the figures the soak's bar judges.</summary>
public readonly record struct DaemonWeight(int Sockets, int Connections, long Heap, long? EventQueue, int Threads);

/// <summary>
/// The daemon under load: in this process (the short soak inside the test suite), or alone in a child process (the soak
/// proper), so that only the daemon's sockets and heap are weighed, not the clients' nor the Python processes' bookkeeping.
/// </summary>
public abstract class SoakDaemon : IAsyncDisposable
{
    public abstract PyroUri Uri { get; }

    /// <summary>True when the daemon runs alone in its own process.</summary>
    public abstract bool Apart { get; }

    /// <summary>The process the daemon runs in.</summary>
    public abstract int ProcessId { get; }

    /// <summary>
    /// Weighs the daemon once the load has stopped: waits (bounded) for its sockets to fall to <paramref name="socketsTarget"/>
    /// (none: until they settle), for its connections to close and for idle runtime workers to retire.
    /// </summary>
    public abstract Task<DaemonWeight> WeighAsync(int? socketsTarget);

    public abstract ValueTask DisposeAsync();

    /// <summary>The echo daemon, in this process; its pool holds twice the clients (see <see cref="SoakRun"/>).</summary>
    public static SoakDaemon InProcess(int clients, TimeSpan workerRetirement) => new LocalSoakDaemon(clients, workerRetirement);
}

/// <summary>The soak's echo daemon in the calling process.</summary>
internal sealed class LocalSoakDaemon : SoakDaemon
{
    private readonly PyroDaemon daemon;
    private readonly TimeSpan workerRetirement;
    private readonly int workersIdle = ThreadPool.ThreadCount + 1; // the runtime keeps an idle worker about 20 s; one more may be waking

    public LocalSoakDaemon(int clients, TimeSpan workerRetirement)
    {
        this.workerRetirement = workerRetirement;
        // Twice the clients: a client that drops its connection and reconnects at once holds two workers until the daemon
        // notices the close (as with Python's thread pool), and the soak is about lost replies, not the pool limit.
        var config = PyroConfig.Default.With(c => c.ThreadPoolSize = 2 * clients + 8);
        daemon = new PyroDaemon(new PyroDaemonOptions { Host = "127.0.0.1", Config = config });
        Uri = daemon.Register(new PyroObjectBuilder("Echo").Method("echo", call => call.Arg(0, "message")).Build(), "echo");
        daemon.Start();
    }

    public override PyroUri Uri { get; }

    public override bool Apart => false;

    public override int ProcessId => Environment.ProcessId;

    public override async Task<DaemonWeight> WeighAsync(int? socketsTarget)
    {
        int sockets = await SettledSocketsAsync(socketsTarget);
        for (int i = 0; i < 100 && daemon.ConnectionCount > 0; i++) await Task.Delay(50);
        int connections = daemon.ConnectionCount;
        await Task.Delay(1000); // let finished connections' last continuations run before the heap is weighed
        var clock = Stopwatch.StartNew();
        while (ThreadPool.ThreadCount > workersIdle && clock.Elapsed < workerRetirement) await Task.Delay(500);
        return new DaemonWeight(sockets, connections, Heap(), SocketEventQueue.Bytes(), ThreadPool.ThreadCount);
    }

    public override ValueTask DisposeAsync() => daemon.DisposeAsync();

    /// <summary>The daemon notices closed connections asynchronously: waits (bounded) for the socket count to reach the target or settle.</summary>
    private static async Task<int> SettledSocketsAsync(int? target)
    {
        int sockets = CountSockets();
        for (int i = 0; i < 200 && sockets > (target ?? int.MaxValue); i++) { await Task.Delay(50); sockets = CountSockets(); }
        if (target is null) { await Task.Delay(500); sockets = CountSockets(); }
        return sockets;
    }

    /// <summary>Open sockets of this process (the daemon's listener and connections, plus in-process clients' ends).</summary>
    private static int CountSockets() =>
        Directory.EnumerateFileSystemEntries("/proc/self/fd").Count(fd =>
        {
            try { return new FileInfo(fd).LinkTarget?.StartsWith("socket:", StringComparison.Ordinal) == true; }
            catch (IOException) { return false; }
        });

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
