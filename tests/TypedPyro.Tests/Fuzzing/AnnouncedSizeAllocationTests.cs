using TypedPyro.Protocol;

namespace TypedPyro.Tests.Fuzzing;

/// <summary>
/// Found by fuzzing (fuzz/regressions/message/): without MAX_MESSAGE_SIZE (Pyro's default), a 24-byte header that
/// announced a huge payload made the daemon's reader allocate all of it at once, before a byte of it had arrived
/// (an OutOfMemoryException under a bounded heap, a memory amplification for any client). The buffer now grows as
/// the bytes arrive.
/// </summary>
public class AnnouncedSizeAllocationTests
{
    private const int Announced = 1_500_000_000;
    private const long Allowed = 16 << 20;

    [Fact]
    public void The_daemon_reader_does_not_allocate_what_a_header_only_announces()
    {
        var reader = new MessageReader(new MemoryStream(HeaderWithSomePayload()), MessageSecurity.None, refillOneMessage: true);
        long before = GC.GetAllocatedBytesForCurrentThread();
        Assert.Throws<ConnectionClosedException>(() => reader.Read(MessageCodec.AnyType));
        Assert.InRange(GC.GetAllocatedBytesForCurrentThread() - before, 0, Allowed);
    }

    [Fact]
    public async Task The_proxy_reader_does_not_allocate_what_a_header_only_announces()
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        await Assert.ThrowsAsync<ConnectionClosedException>(async () => await MessageCodec.ReadAsync(new MemoryStream(HeaderWithSomePayload()), MessageCodec.AnyType, MessageSecurity.None));
        Assert.InRange(GC.GetAllocatedBytesForCurrentThread() - before, 0, Allowed);
    }

    [Fact]
    public void A_header_announcing_more_than_the_connection_has_delivered_still_grows_the_buffer_as_bytes_arrive()
    {
        // A delivered message lets the next of its size have its buffer at once; that must not open the door to a
        // header announcing far more.
        var delivered = MessageCodec.ToBytes(new PyroMessage(MessageType.Invoke, MessageFlags.None, 1, 1, new byte[3 << 20]), MessageSecurity.None);
        var reader = new MessageReader(new MemoryStream([.. delivered, .. HeaderWithSomePayload()]), MessageSecurity.None, refillOneMessage: true);
        reader.Read(MessageCodec.AnyType);
        long before = GC.GetAllocatedBytesForCurrentThread();
        Assert.Throws<ConnectionClosedException>(() => reader.Read(MessageCodec.AnyType));
        Assert.InRange(GC.GetAllocatedBytesForCurrentThread() - before, 0, Allowed);
    }

    [Fact]
    public void A_big_message_that_does_arrive_is_still_read_whole()
    {
        var payload = new byte[3 << 20];
        new Random(7).NextBytes(payload);
        var bytes = MessageCodec.ToBytes(new PyroMessage(MessageType.Invoke, MessageFlags.None, 1, 1, payload), MessageSecurity.None);
        var reader = new MessageReader(new MemoryStream(bytes), MessageSecurity.None);
        Assert.Equal(payload, reader.Read(MessageCodec.AnyType).Payload.ToArray());
    }

    /// <summary>An INVOKE header announcing <see cref="Announced"/> bytes, and 100 KB of them.</summary>
    private static byte[] HeaderWithSomePayload()
    {
        var bytes = new byte[MessageHeader.Size + 100_000];
        new MessageHeader(MessageType.Invoke, MessageFlags.None, 1, Announced, 1, 0).Write(bytes);
        return bytes;
    }
}
