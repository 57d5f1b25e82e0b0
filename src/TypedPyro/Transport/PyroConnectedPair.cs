using System.IO.Pipelines;

namespace TypedPyro;

/// <summary>
/// Two connected in-memory streams, like Python's <c>socket.socketpair()</c> in Pyro's socketpair example: hand one
/// to <see cref="PyroDaemon.ServeConnectedAsync"/> and the other to <see cref="PyroProxy.ForConnectedStream"/> for calls
/// within one process with no network and no handshake.
/// </summary>
public static class PyroConnectedPair
{
    /// <summary>Creates the pair; disposing either side ends the other's reads.</summary>
    public static (Stream First, Stream Second) Create()
    {
        var toSecond = new Pipe();
        var toFirst = new Pipe();
        return (new DuplexStream(toFirst.Reader, toSecond.Writer), new DuplexStream(toSecond.Reader, toFirst.Writer));
    }

    private sealed class DuplexStream(PipeReader reader, PipeWriter writer) : Stream
    {
        private readonly Stream _read = reader.AsStream();
        private readonly Stream _write = writer.AsStream();

        public override bool CanRead => true;
        public override bool CanWrite => true;
        public override bool CanSeek => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => _read.Read(buffer, offset, count);
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => _read.ReadAsync(buffer, cancellationToken);
        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => _read.ReadAsync(buffer, offset, count, cancellationToken);
        public override void Write(byte[] buffer, int offset, int count) => _write.Write(buffer, offset, count);
        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) => _write.WriteAsync(buffer, cancellationToken);
        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => _write.WriteAsync(buffer, offset, count, cancellationToken);
        public override void Flush() => _write.Flush();
        public override Task FlushAsync(CancellationToken cancellationToken) => _write.FlushAsync(cancellationToken);
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _write.Dispose();
                _read.Dispose();
            }
            base.Dispose(disposing);
        }
    }
}
