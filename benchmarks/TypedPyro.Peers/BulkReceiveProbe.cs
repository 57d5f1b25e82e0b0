using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace TypedPyro.Peers;

/// <summary>
/// <c>--bulk-receive</c>: how a server best gets a 10 MiB call into an array of its own (what a <c>byte[]</c> parameter
/// needs), raw sockets only. It answers whether receiving a large msgpack <c>bin</c> straight into the argument's array
/// would beat what the daemon does (receive into the connection's reused buffer, then one copy into a new array).
/// </summary>
/// <remarks>
/// Each strategy gets its own loopback connection and runs 3 s, three rounds in turn, so a drift of the shared machine
/// shows as spread rather than as a difference. The 1 MiB reused buffer is the W4 raw row's server: the ceiling.
/// </remarks>
internal static class BulkReceiveProbe
{
    private const int Size = Bench.BulkSize;
    private const int StagingSize = 1 << 20;

    private enum Strategy
    {
        /// <summary>Into one reused 1 MiB buffer, nothing kept (the W4 raw row).</summary>
        Reused1MiB,
        /// <summary>Straight into a new array of the whole size.</summary>
        Direct,
        /// <summary>Into a reused buffer of the whole size, then one copy into a new array (the daemon's way).</summary>
        ReusedThenCopy,
        /// <summary>Into a reused 1 MiB buffer, each chunk copied into the new array as it arrives.</summary>
        Staged,
        /// <summary><see cref="Staged"/> with non-temporal stores (the destination is not read into the cache first).</summary>
        StagedNonTemporal,
    }

    public static async Task RunAsync(TimeSpan duration)
    {
        using var listener = new Socket(SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen();
        var payload = new byte[Size];
        Random.Shared.NextBytes(payload);
        var strategies = Enum.GetValues<Strategy>().Where(s => s != Strategy.StagedNonTemporal || Avx.IsSupported).ToList();
        for (int round = 1; round <= 3; round++)
        {
            foreach (var strategy in strategies)
            {
                double perSecond = await MeasureAsync(listener, payload, strategy, duration);
                Console.WriteLine($"round {round}  {strategy,-18} {perSecond,6:F0} calls/s  {perSecond * Size / 1e6,6:F0} MB/s");
            }
        }
    }

    private static async Task<double> MeasureAsync(Socket listener, byte[] payload, Strategy strategy, TimeSpan duration)
    {
        using var client = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await client.ConnectAsync(listener.LocalEndPoint!);
        using var server = await listener.AcceptAsync();
        server.NoDelay = true;
        var serving = Task.Run(() => ServeAsync(server, strategy));
        var answer = new byte[8];
        async Task CallAsync()
        {
            await client.SendAsync(payload);
            for (int got = 0; got < answer.Length;) got += await client.ReceiveAsync(answer.AsMemory(got));
        }
        for (int i = 0; i < 20; i++) await CallAsync();
        int calls = 0;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < duration)
        {
            await CallAsync();
            calls++;
        }
        double perSecond = calls / clock.Elapsed.TotalSeconds;
        client.Shutdown(SocketShutdown.Both);
        long served = await serving;
        if (served != (long)calls + 20) throw new InvalidOperationException($"{strategy}: the server saw {served} calls, not {calls + 20}");
        return perSecond;
    }

    /// <summary>Receives calls until the client closes; returns how many calls it received.</summary>
    private static async Task<long> ServeAsync(Socket server, Strategy strategy)
    {
        var staging = new byte[StagingSize];
        var whole = strategy == Strategy.ReusedThenCopy ? new byte[Size] : null;
        var reply = new byte[8];
        long calls = 0;
        while (true)
        {
            byte[]? kept = strategy is Strategy.Direct or Strategy.Staged or Strategy.StagedNonTemporal
                ? GC.AllocateUninitializedArray<byte>(Size) : null;
            for (int got = 0; got < Size;)
            {
                int n = strategy switch
                {
                    Strategy.Direct => await server.ReceiveAsync(kept.AsMemory(got)),
                    Strategy.ReusedThenCopy => await server.ReceiveAsync(whole.AsMemory(got)),
                    _ => await server.ReceiveAsync(staging.AsMemory(0, Math.Min(StagingSize, Size - got))),
                };
                if (n == 0) return calls;
                if (strategy == Strategy.Staged) staging.AsSpan(0, n).CopyTo(kept.AsSpan(got));
                if (strategy == Strategy.StagedNonTemporal) CopyNonTemporal(staging.AsSpan(0, n), kept.AsSpan(got));
                got += n;
            }
            if (strategy == Strategy.ReusedThenCopy)
            {
                kept = GC.AllocateUninitializedArray<byte>(Size);
                whole!.CopyTo(kept, 0);
            }
            GC.KeepAlive(kept);
            calls++;
            await server.SendAsync(reply);
        }
    }

    private static unsafe void CopyNonTemporal(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        fixed (byte* from = source)
        fixed (byte* to = destination)
        {
            // Non-temporal stores need an aligned destination: bytes up to the first 32-byte boundary go one by one.
            int i = Math.Min(source.Length, (int)((32 - ((nint)to & 31)) & 31));
            for (int j = 0; j < i; j++) to[j] = from[j];
            for (; i + 32 <= source.Length; i += 32) Avx.StoreAlignedNonTemporal(to + i, Vector256.Load(from + i));
            for (; i < source.Length; i++) to[i] = from[i];
            Sse.StoreFence();
        }
    }
}
