using BenchmarkDotNet.Attributes;

namespace TypedPyro.Benchmarks;

/// <summary>
/// The client's side of W3 alone (issue 8): oneway calls through the generated proxy of <see cref="IBenchNotes"/>
/// into a connection with no daemon and no socket. The figure is the caller's time per oneway call (check, serialize,
/// frame, queue); the background flush runs on the thread pool beside it, as it does in W3. A write costs nothing,
/// or about what a socket send costs: with free writes each flush finds about one frame, so nearly every call
/// schedules a flush (the worst case); with 2 us writes frames pile up while one is written, as they do in W3.
/// Metadata is off: with no daemon there is nothing to fetch it from.
/// </summary>
[MemoryDiagnoser]
public class OnewayClientBenchmarks
{
    private const int Calls = 10_000;

    private IBenchNotes _proxy = null!;
    private DrainedConnection _connection = null!;
    private long _frameSize;
    private long _calls;

    [Params(0, 2)]
    public int MicrosecondsPerWrite { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _connection = new DrainedConnection(MicrosecondsPerWrite);
        var options = new PyroProxyOptions { Config = PyroConfig.Default.With(c => c.Metadata = false) };
        _proxy = PyroContracts.CreateProxy<IBenchNotes>(PyroProxy.ForConnectedStream("notes", _connection, options));
        _proxy.Note("hello worl");
        _calls = 1;
        // The first frame goes out with a background flush; its size is every call's.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (_connection.Written == 0 && DateTime.UtcNow < deadline) Thread.Sleep(1);
        _frameSize = _connection.Written;
        if (_frameSize == 0) throw new InvalidOperationException("the oneway call was never written");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        ((IDisposable)_proxy).Dispose(); // sends what is still queued
        long written = _connection.Written;
        if (written != _calls * _frameSize) throw new InvalidOperationException($"{written} bytes written for {_calls} calls of {_frameSize} bytes");
    }

    /// <summary>Makes <see cref="Calls"/> oneway calls; the bytes written are checked once all have been flushed.</summary>
    [Benchmark(OperationsPerInvoke = Calls)]
    public void CallOneway()
    {
        for (int i = 0; i < Calls; i++) _proxy.Note("hello worl");
        _calls += Calls;
    }

    /// <summary>A connection that swallows every write (and counts the bytes) and has nothing to read.</summary>
    private sealed class DrainedConnection(int microsecondsPerWrite) : Stream
    {
        private long _written;

        public long Written => Interlocked.Read(ref _written);

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            // Busy, as a send system call keeps its thread busy.
            long until = System.Diagnostics.Stopwatch.GetTimestamp() + System.Diagnostics.Stopwatch.Frequency * microsecondsPerWrite / 1_000_000;
            while (System.Diagnostics.Stopwatch.GetTimestamp() < until) Thread.SpinWait(1);
            Interlocked.Add(ref _written, buffer.Length);
        }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Write(buffer.Span);
            return ValueTask.CompletedTask;
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("a oneway benchmark reads nothing");

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
