using BenchmarkDotNet.Attributes;

namespace TypedPyro.Benchmarks;

/// <summary>
/// The floor under W4's <c>byte[]</c> rows, with no Pyro in it (issue 24): filling a fresh 10 MiB array per call
/// (what a method that owns its argument needs) against filling one reused array (what a view costs). The gap is
/// the runtime's, not the framework's: fresh large-object memory is page-faulted in again after the gen2 collections
/// that 10 MiB per call keeps triggering.
/// </summary>
[MemoryDiagnoser]
public class FreshArrayBenchmarks
{
    private const int Size = 10 * 1024 * 1024;

    private readonly byte[] _source = new byte[Size];
    private readonly byte[] _reused = new byte[Size];

    [GlobalSetup]
    public void Setup() => new Random(24).NextBytes(_source);

    /// <summary>The copy alone, into memory that stays committed.</summary>
    [Benchmark(Baseline = true)]
    public byte[] ReusedArray()
    {
        _source.CopyTo(_reused, 0);
        return _reused;
    }

    /// <summary>What the daemon does for a msgpack <c>byte[]</c> parameter: a fresh array, not zeroed, filled.</summary>
    [Benchmark]
    public byte[] FreshUninitializedArray()
    {
        var array = GC.AllocateUninitializedArray<byte>(Size);
        _source.CopyTo(array, 0);
        return array;
    }

    /// <summary>The same with a zeroed array: what skipping the zeroing saves.</summary>
    [Benchmark]
    public byte[] FreshZeroedArray()
    {
        var array = new byte[Size];
        _source.CopyTo(array, 0);
        return array;
    }
}
