using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using TypedPyro.Serialization;

namespace TypedPyro.Benchmarks;

/// <summary>The bulk contract of <see cref="BulkBytesBenchmarks"/>: 10 MiB in as a view or an array, and out as an array.</summary>
[Expose]
public interface IBenchBulk
{
    long Length(byte[] data);

    long Size(ReadOnlyMemory<byte> data);

    byte[] Bytes();
}

/// <summary>Measures what it is given; returns one array, made once.</summary>
public sealed class BenchBulk(byte[] blob) : IBenchBulk
{
    public long Length(byte[] data) => data.Length;

    public long Size(ReadOnlyMemory<byte> data) => data.Length;

    public byte[] Bytes() => blob;
}

/// <summary>
/// W4 in one process (issue 24): a 10 MiB <c>byte[]</c> parameter, the same bytes as a <c>ReadOnlyMemory&lt;byte&gt;</c>
/// parameter (the baseline: a view of the daemon's receive buffer, nothing allocated), and a 10 MiB <c>byte[]</c>
/// result, through a generated proxy and a daemon over loopback TCP, serpent and msgpack. MemoryDiagnoser's figure
/// is both sides': a <c>byte[]</c> parameter should cost its 10 MiB array and nothing more. Two jobs, the default
/// GC and <c>GCRetainVM</c>: a fresh 10 MiB array per call is mostly page faults on memory the GC gave back to the
/// system, which <c>GCRetainVM</c> keeps.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(GcComparison))]
public class BulkBytesBenchmarks
{
    private const int Size = 10 * 1024 * 1024;

    private PyroDaemon _daemon = null!;
    private IBenchBulk _proxy = null!;
    private byte[] _blob = null!;

    [Params("serpent", "msgpack")]
    public string Serializer { get; set; } = "serpent";

    [GlobalSetup]
    public void Setup()
    {
        _blob = new byte[Size];
        new Random(24).NextBytes(_blob);
        var config = PyroConfig.Default.With(c => c.SerializersAccepted.Add("msgpack"));
        _daemon = new PyroDaemon(new PyroDaemonOptions { Host = "127.0.0.1", Config = config });
        var uri = _daemon.Register<IBenchBulk>(new BenchBulk(_blob), "bulk");
        _daemon.Start();
        _proxy = Pyro.Proxy<IBenchBulk>(uri, new PyroProxyOptions { Serializer = PyroSerializers.ForName(Serializer).Id });
        if (_proxy.Length(_blob) != Size || _proxy.Size(_blob) != Size || !_proxy.Bytes().AsSpan().SequenceEqual(_blob))
            throw new InvalidOperationException("the bulk calls are not working");
    }

    [GlobalCleanup]
    public async Task Cleanup()
    {
        ((IDisposable)_proxy).Dispose();
        await _daemon.DisposeAsync();
    }

    /// <summary>The daemon hands the method a view of its receive buffer (serpent: after one decode into a pooled buffer).</summary>
    [Benchmark(Baseline = true)]
    public long MemoryParameter() => _proxy.Size(_blob);

    /// <summary>The method gets an array of its own, decoded (serpent) or copied (msgpack) straight into it.</summary>
    [Benchmark]
    public long ByteArrayParameter() => _proxy.Length(_blob);

    /// <summary>The proxy turns the reply into the caller's array.</summary>
    [Benchmark]
    public int ByteArrayResult() => _proxy.Bytes().Length;

    /// <summary>The default GC against GCRetainVM, in one run; nothing in the CI smoke run (its one dry job only).</summary>
    private sealed class GcComparison : ManualConfig
    {
        public GcComparison()
        {
            if (Environment.GetEnvironmentVariable(Smoke.Variable) == "1") return;
            AddJob(Job.ShortRun.WithId("default GC").AsBaseline());
            AddJob(Job.ShortRun.WithGcRetainVm(true).WithId("GCRetainVM"));
        }
    }
}

/// <summary>Set by the CI smoke run, so that benchmarks with jobs of their own add none.</summary>
internal static class Smoke
{
    public const string Variable = "TYPEDPYRO_BENCHMARK_SMOKE";
}
