using System.Globalization;

namespace TypedPyro.Peers;

/// <summary>One run's settings and the figures it has collected so far.</summary>
internal sealed class Bench(bool smoke, Targets? only = null, IReadOnlyCollection<string>? workloads = null)
{
    public const string Message = "hello worl"; // the 10-character echo argument of W1-W3 and batch
    public const int BulkSize = 10 * 1024 * 1024; // W4's argument, 10 MiB
    public const int BatchSize = 100;
    public const int Clients = 8; // W2

    public bool Smoke { get; } = smoke;
    public TimeSpan Duration { get; } = TimeSpan.FromSeconds(smoke ? 0.2 : 5);
    /// <summary>
    /// Time run before each measurement. 3 s: tiered compilation with dynamic PGO takes about that long to reach its
    /// final code on a hot path (a typed oneway loop ran 0.5M, 1.1M, 2.8M, then 3.0-3.4M calls/s in its first four
    /// seconds; 1.7-1.9M with tiering off), and the figures are meant to be the steady state's, not the JIT's.
    /// </summary>
    public TimeSpan WarmUp { get; } = TimeSpan.FromSeconds(smoke ? 0.1 : 3);
    public List<Result> Results { get; } = [];

    /// <summary>
    /// Whether to measure this row: every row, or with <c>--targets</c> only those the targets need (their figures and
    /// what they are compared with), so that an on-demand check takes minutes.
    /// With <c>--workloads</c>, only rows of the workloads named (W1, W2, W3, W4, batch, ns: the start of a workload's name).
    /// </summary>
    public bool Wants(string workload, string peer)
        => (workloads is null || workloads.Any(w => workload.StartsWith(w, StringComparison.OrdinalIgnoreCase)))
            && (Focus is null || workload == Focus) && (only is null || only.Needs(workload, peer));

    /// <summary>
    /// The one workload measured now, or null for all. A <c>--targets</c> run measures workload by workload, so that a
    /// raw row and the rows judged against it are taken seconds apart rather than minutes: this machine is shared,
    /// and its speed drifts over minutes (the same raw W2 row measured 37k-48k calls/s in the three runs of one check).
    /// </summary>
    public string? Focus { get; set; }

    /// <summary>The measured duration in seconds, as the Python scripts take it.</summary>
    public string Seconds => Duration.TotalSeconds.ToString(CultureInfo.InvariantCulture);

    /// <summary>The warm-up in seconds, as the Python scripts take it.</summary>
    public string WarmUpSeconds => WarmUp.TotalSeconds.ToString(CultureInfo.InvariantCulture);

    /// <summary>How many times the whole run is made (<c>--repeat</c>); the report takes each row's median.</summary>
    public int Repetitions { get; private set; } = 1;

    /// <summary>The repetition the next results belong to (1-based).</summary>
    public int Repetition { get; private set; } = 1;

    public void StartRepetition(int repetition, int repetitions)
    {
        (Repetition, Repetitions) = (repetition, repetitions);
        if (repetitions > 1) Console.Error.WriteLine($"run {repetition} of {repetitions}");
    }

    public void Add(Result result)
    {
        Results.Add(result with { Repetition = Repetition });
        Console.Error.WriteLine($"  {result.Workload,-16} {result.Peer,-58} {result.PerSecond,14:N0}/s");
    }

    /// <summary>A W4 row: calls/s and the payload's MB/s (10 MiB = 10.48576 MB per call).</summary>
    public void AddBulk(string peer, double perSecond, string? note = null) =>
        Add(new(Workloads.W4, peer, perSecond, MegabytesPerSecond: perSecond * BulkSize / 1e6, Note: note));
}

/// <summary>The workload names, in the order the table shows them.</summary>
internal static class Workloads
{
    public const string W1 = "W1 latency";
    public const string W2 = "W2 8 clients";
    public const string W3 = "W3 oneway";
    public const string W4 = "W4 bulk 10 MiB";
    public const string Batch = "Batch of 100";
    public const string NameServer = "NS lookups";
    public const string Gateway = "Gateway calls";
    public const string Scale = "Scale";

    public static readonly string[] Order = [W1, W2, W3, W4, Batch, NameServer, Gateway, Scale];
}
