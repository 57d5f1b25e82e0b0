using System.Buffers;
using BenchmarkDotNet.Attributes;
using TypedPyro.Protocol;
using TypedPyro.Serialization;

namespace TypedPyro.Benchmarks;

/// <summary>The oneway contract of <see cref="OnewayServerBenchmarks"/>.</summary>
[Expose]
public interface IBenchNotes
{
    [Oneway]
    void Note(string message);
}

/// <summary>Counts the oneway calls it has run.</summary>
public sealed class BenchNotes : IBenchNotes
{
    public long Count;

    public void Note(string message) => Interlocked.Increment(ref Count);
}

/// <summary>
/// The daemon's side of W3 alone (issue 8): oneway calls as the generated proxy frames them, fed from memory through
/// <see cref="PyroDaemon.ServeConnectedAsync"/>, with no client and no socket. The figure is the daemon's CPU per
/// oneway call (read, parse, dispatch, run), with <c>ONEWAY_THREADED</c> off and on.
/// </summary>
[MemoryDiagnoser]
public class OnewayServerBenchmarks
{
    private const int Calls = 10_000;

    private PyroDaemon _daemon = null!;
    private BenchNotes _notes = null!;
    private byte[] _wire = null!;

    [Params(false, true)]
    public bool OnewayThreaded { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var config = PyroConfig.Default.With(c => c.OnewayThreaded = OnewayThreaded);
        _daemon = new PyroDaemon(new PyroDaemonOptions { Host = "127.0.0.1", Config = config });
        _notes = new BenchNotes();
        _daemon.Register<IBenchNotes>(_notes, "notes");
        var payload = new ArrayBufferWriter<byte>();
        PyroSerializers.Serpent.SerializeCall(payload, "notes", "Note", new PyTuple("hello worl"), new Dictionary<string, object?>());
        var frame = MessageCodec.ToBytes(new PyroMessage(MessageType.Invoke, MessageFlags.Oneway, 1, (ushort)SerializerId.Serpent, payload.WrittenSpan.ToArray(), []), new MessageSecurity(null, 0));
        _wire = new byte[frame.Length * Calls];
        for (int i = 0; i < Calls; i++) frame.CopyTo(_wire, i * frame.Length);
    }

    [GlobalCleanup]
    public ValueTask Cleanup() => _daemon.DisposeAsync();

    /// <summary>Serves <see cref="Calls"/> oneway calls and waits until each has run.</summary>
    [Benchmark(OperationsPerInvoke = Calls)]
    public async Task ServeOnewayCalls()
    {
        long before = Interlocked.Read(ref _notes.Count);
        await _daemon.ServeConnectedAsync(new FrameFeed(_wire));
        while (Interlocked.Read(ref _notes.Count) - before < Calls) await Task.Yield();
    }

    /// <summary>A connection that delivers the frames in 64 KiB reads and swallows what the daemon writes.</summary>
    private sealed class FrameFeed(byte[] data) : Stream
    {
        private int _position;

        public override int Read(Span<byte> buffer)
        {
            int n = Math.Min(Math.Min(buffer.Length, 64 * 1024), data.Length - _position);
            data.AsSpan(_position, n).CopyTo(buffer);
            _position += n;
            return n;
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => new(Read(buffer.Span));

        public override void Write(byte[] buffer, int offset, int count) { }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) => default;

        public override void Flush() { }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
