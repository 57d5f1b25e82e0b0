using System.Runtime.CompilerServices;

namespace TypedPyro.Protocol;

/// <summary>
/// Reads message after message from one connection through a single reusable buffer, so that a small message costs
/// one socket read and no buffer allocation. The payload and annotation values of a returned message point into that
/// buffer: they are valid until the next read, and whoever keeps them longer copies them (<see cref="Detach"/>).
/// </summary>
/// <remarks>
/// The checks and their order are <see cref="MessageCodec"/>'s: header, size limit and message type are validated as soon
/// as the header is in, before room for the rest is made. Not thread-safe: one reader per connection.
/// </remarks>
internal sealed class MessageReader(Stream stream, MessageSecurity security, bool refillOneMessage = false, bool pyro5 = false)
{
    // The protocol is chosen once per connection (by the proxy's option, or by a daemon from the first header's
    // version, see PeekVersionAsync); a Pyro4 read pays one well-predicted test of this field and nothing else.
    private bool _pyro5 = pyro5;
    private readonly long _pyro5MaxSize = Pyro5Codec.MaxMessageSize(security);

    /// <summary>True when this connection speaks Pyro5 (protocol 502).</summary>
    public bool IsPyro5 => _pyro5;

    /// <summary>Switches a connection to Pyro5 framing before its first message is taken.</summary>
    public void UsePyro5() => _pyro5 = true;

    /// <summary>
    /// Waits until the first 6 bytes (<c>PYRO</c> and the protocol version) have arrived and returns the version,
    /// consuming nothing: a daemon decides from it which protocol the connection speaks. Returns -1 when the bytes
    /// do not start with <c>PYRO</c>.
    /// </summary>
    public async ValueTask<int> PeekVersionAsync(CancellationToken cancellationToken)
    {
        const int prefix = 6;
        while (_end - _start < prefix)
        {
            MakeRoom(prefix);
            int n = await stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken).ConfigureAwait(false);
            if (n == 0) throw Closed();
            _end += n;
        }
        var head = _buffer.AsSpan(_start, prefix);
        return head[..4].SequenceEqual("PYRO"u8) ? System.Buffers.Binary.BinaryPrimitives.ReadUInt16BigEndian(head[4..]) : -1;
    }

    // With refillOneMessage (a daemon connection, which handles each request before it reads the next), every read
    // returns this same message object, refilled: no allocation per request.
    private readonly PyroMessage? _refilled = refillOneMessage ? new PyroMessage(default, default, 0, 0, default) : null;

    // Small enough for 10,000 idle connections, big enough for a typical call or reply in one read.
    private const int InitialSize = 512;
    // A buffer grown for a bulk message is given back when the connection is next idle beyond this size.
    private const int KeepLimit = 1 << 20;
    // A read that fills the whole buffer means a stream of messages (oneway calls, pipelined requests): the buffer
    // doubles up to this size, so that one read takes many messages.
    private const int StreamingSize = 16 * 1024;
    // The first step by which the buffer of a message bigger than what has arrived grows.
    private const int GrowthStep = 64 * 1024;

    private byte[] _buffer = new byte[InitialSize];
    private bool _pooled;
    private int _start;
    private int _end;
    private bool _filled;
    // The largest message this connection has delivered whole: a buffer may grow at once to a size the peer has
    // already sent (a stream of bulk calls then costs one read per message after its header, not a chain of
    // doublings, each copying what had arrived), while a header announcing more still grows it only as bytes arrive.
    private long _largestDelivered;

    /// <summary>Reads one message, blocking.</summary>
    public PyroMessage Read(uint acceptedTypes)
    {
        while (true)
        {
            if (TryTake(acceptedTypes, out var message)) return message;
            int n = stream.Read(_buffer, _end, _buffer.Length - _end);
            if (n == 0) throw Closed();
            _end += n;
            _filled = _end == _buffer.Length;
        }
    }

    /// <summary>
    /// Takes the next message if it is already whole in the buffer, without touching the stream: a stream of
    /// coalesced messages (oneway calls, pipelined requests) is served without an async read per message.
    /// </summary>
    public bool TryReadBuffered(uint acceptedTypes, out PyroMessage message) => TryTake(acceptedTypes, out message);

    /// <summary>Reads one message.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<PyroMessage> ReadAsync(uint acceptedTypes, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (TryTake(acceptedTypes, out var message)) return message;
            int n = await stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken).ConfigureAwait(false);
            if (n == 0) throw Closed();
            _end += n;
            _filled = _end == _buffer.Length;
        }
    }

    /// <summary>A copy of <paramref name="message"/> that owns its payload and annotation values.</summary>
    public static PyroMessage Detach(PyroMessage message)
    {
        var annotations = new Annotation[message.Annotations.Count];
        for (int i = 0; i < annotations.Length; i++) annotations[i] = message.Annotations[i] with { Value = message.Annotations[i].Value.ToArray() };
        return new PyroMessage(message.Type, message.Flags, message.Sequence, message.SerializerId, message.Payload.ToArray(), annotations);
    }

    /// <summary>
    /// Leaves the current buffer to whoever may still read the last message in it (it is neither reused nor given
    /// back to the pool); unread bytes move to a new buffer.
    /// </summary>
    public void GiveUpBuffer()
    {
        int unread = _end - _start;
        var fresh = new byte[Math.Max(InitialSize, unread)];
        _buffer.AsSpan(_start, unread).CopyTo(fresh);
        (_buffer, _pooled, _start, _end) = (fresh, false, 0, unread);
    }

    private ConnectionClosedException Closed()
        => new(_end == _start ? "receiving: connection lost" : "receiving: not enough data");

    /// <summary>Takes a whole buffered message if there is one; otherwise makes room for the rest and returns false.</summary>
    private bool TryTake(uint acceptedTypes, out PyroMessage message)
    {
        if (_pyro5) return TryTakePyro5(acceptedTypes, out message);
        message = null!;
        int available = _end - _start;
        if (available < MessageHeader.Size)
        {
            MakeRoom(MessageHeader.Size);
            return false;
        }
        var header = MessageHeader.Parse(_buffer.AsSpan(_start, MessageHeader.Size));
        MessageCodec.Validate(header, acceptedTypes, security);
        long total = MessageHeader.Size + (long)header.DataSize + header.AnnotationsSize;
        if (available < total)
        {
            MakeRoom((int)total);
            return false;
        }
        message = MessageCodec.Decode(header, _buffer.AsMemory(_start + MessageHeader.Size, (int)total - MessageHeader.Size), security, _refilled);
        Consume(total);
        return true;
    }

    /// <summary><see cref="TryTake"/> for a Pyro5 connection: the checks of <see cref="Pyro5Codec.ReadAsync"/>, in its order.</summary>
    private bool TryTakePyro5(uint acceptedTypes, out PyroMessage message)
    {
        message = null!;
        int available = _end - _start;
        if (available < Pyro5Header.Size)
        {
            // Pyro5 checks tag and version as soon as 6 bytes are in (a Pyro4 header is refused without waiting for more).
            if (available >= Pyro5Header.PrefixSize) Pyro5Header.CheckPrefix(_buffer.AsSpan(_start, Pyro5Header.PrefixSize));
            MakeRoom(Pyro5Header.Size);
            return false;
        }
        var header = Pyro5Header.Parse(_buffer.AsSpan(_start, Pyro5Header.Size), _pyro5MaxSize);
        Pyro5Codec.CheckType(header, acceptedTypes);
        long total = Pyro5Header.Size + header.BodySize;
        if (available < total)
        {
            MakeRoom((int)total);
            return false;
        }
        message = Pyro5Codec.Decode(header, _buffer.AsMemory(_start + Pyro5Header.Size, (int)total - Pyro5Header.Size), _refilled);
        Consume(total);
        return true;
    }

    /// <summary>Moves past a message just taken, remembering its size (<see cref="_largestDelivered"/>).</summary>
    private void Consume(long total)
    {
        _start += (int)total;
        if (total > _largestDelivered) _largestDelivered = total;
    }

    /// <summary>Ensures the buffer can hold <paramref name="needed"/> bytes from the start of the unread data.</summary>
    private void MakeRoom(int needed)
    {
        int unread = _end - _start;
        if (unread == 0 && _buffer.Length > KeepLimit)
        {
            // Idle after a bulk message: don't keep its buffer.
            Release();
            _buffer = new byte[InitialSize];
            _start = _end = 0;
        }
        if (_filled && _buffer.Length < StreamingSize) needed = Math.Max(needed, _buffer.Length * 2);
        _filled = false;
        if (needed - unread > GrowthStep && needed > _largestDelivered)
        {
            // A big message's buffer grows (doubling) as its bytes arrive, not at once to the size its header
            // announces: a 24-byte header must not make the receiver allocate gigabytes (found by fuzzing).
            if (_end < _buffer.Length) return;
            needed = (int)Math.Min(needed, Math.Max(2L * _buffer.Length, (long)unread + GrowthStep));
        }
        if (_buffer.Length - _start >= needed && _buffer.Length > _end) return;
        if (_buffer.Length >= needed)
        {
            _buffer.AsSpan(_start, unread).CopyTo(_buffer);
        }
        else
        {
            // Large buffers come from the shared pool: a bulk call a second time finds its buffer there.
            var bigger = System.Buffers.ArrayPool<byte>.Shared.Rent(needed);
            _buffer.AsSpan(_start, unread).CopyTo(bigger);
            Release();
            _buffer = bigger;
            _pooled = true;
        }
        _start = 0;
        _end = unread;
    }

    private void Release()
    {
        if (_pooled) System.Buffers.ArrayPool<byte>.Shared.Return(_buffer);
        _pooled = false;
    }
}
