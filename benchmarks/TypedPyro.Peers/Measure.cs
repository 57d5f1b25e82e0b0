using System.Diagnostics;

namespace TypedPyro.Peers;

/// <summary>One measured figure of a workload, in one repetition of the run.</summary>
internal sealed record Result(string Workload, string Peer, double PerSecond, double? P50Micros = null, double? P99Micros = null, double? MegabytesPerSecond = null, string? Note = null, int Repetition = 1);

/// <summary>Time-boxed loops that count operations and record latencies.</summary>
internal static class Measure
{
    /// <summary>Runs <paramref name="call"/> sequentially for the warm-up, then for <paramref name="duration"/>; calls/s, p50, p99.</summary>
    public static async Task<(double PerSecond, double P50, double P99)> Sequential(Func<Task> call, TimeSpan duration, TimeSpan warmUp)
    {
        var until = Stopwatch.GetTimestamp() + (long)(warmUp.TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < until) await call();
        var latencies = new List<double>(1 << 16);
        long start = Stopwatch.GetTimestamp();
        long end = start + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        long now = start;
        while (now < end)
        {
            long before = now;
            await call();
            now = Stopwatch.GetTimestamp();
            latencies.Add((now - before) * 1e6 / Stopwatch.Frequency);
        }
        double seconds = (now - start) / (double)Stopwatch.Frequency;
        latencies.Sort();
        return (latencies.Count / seconds, latencies[latencies.Count / 2], latencies[(int)(latencies.Count * 0.99)]);
    }

    /// <summary>Runs <paramref name="clients"/> sequential loops at once; total calls/s.</summary>
    public static async Task<double> Concurrent(IReadOnlyList<Func<Task>> clients, TimeSpan duration, TimeSpan warmUp)
    {
        long count = 0;
        long warmEnd = Stopwatch.GetTimestamp() + (long)(warmUp.TotalSeconds * Stopwatch.Frequency);
        long end = warmEnd + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        await Task.WhenAll(clients.Select(call => Task.Run(async () =>
        {
            while (true)
            {
                await call();
                long now = Stopwatch.GetTimestamp();
                if (now >= end) break;
                if (now >= warmEnd) Interlocked.Increment(ref count);
            }
        })));
        return count / duration.TotalSeconds;
    }

    /// <summary>
    /// W3: <paramref name="send"/> (one fire-and-forget message each) as fast as possible for <paramref name="duration"/>,
    /// then <paramref name="flush"/> (a round trip the server answers only after reading everything before it);
    /// messages/s over the whole time, the flush included. Returns the count sent too, for the caller to check.
    /// </summary>
    public static async Task<(double PerSecond, long Sent)> Oneway(Func<Task> send, Func<Task> flush, TimeSpan duration)
    {
        long sent = 0;
        long start = Stopwatch.GetTimestamp();
        long end = start + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < end)
        {
            await send();
            sent++;
        }
        await flush();
        return (sent * Stopwatch.Frequency / (double)(Stopwatch.GetTimestamp() - start), sent);
    }
}
