using System.Text;
using TypedPyro.Protocol;

namespace TypedPyro.Tests.Protocol;

/// <summary>The per-connection reader: one reused buffer, messages split or packed in any way across socket reads.</summary>
public class MessageReaderTests
{
    private static readonly MessageSecurity NoLimits = new(null, 0);
    private static readonly uint Results = MessageCodec.Accept(MessageType.Result);

    private static byte[] Frame(ushort sequence, int payloadSize, params Annotation[] annotations)
    {
        var payload = new byte[payloadSize];
        for (int i = 0; i < payload.Length; i++) payload[i] = (byte)(sequence + i);
        return MessageCodec.ToBytes(new PyroMessage(MessageType.Result, MessageFlags.None, sequence, 1, payload, annotations), NoLimits);
    }

    /// <summary>A stream that hands out at most <paramref name="chunk"/> bytes per read.</summary>
    private sealed class ChunkedStream(byte[] data, int chunk) : MemoryStream(data)
    {
        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, chunk));

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
            => base.ReadAsync(buffer[..Math.Min(buffer.Length, chunk)], cancellationToken);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(100)]
    [InlineData(1 << 20)]
    public async Task Messages_come_out_whole_however_the_bytes_arrive(int chunk)
    {
        var sizes = new[] { 0, 10, 600, 3_000_000, 5 };
        var wire = sizes.SelectMany((size, i) => Frame((ushort)i, size, new Annotation("CORR", new byte[16]))).ToArray();
        foreach (bool async in new[] { false, true })
        {
            var reader = new MessageReader(new ChunkedStream(wire, chunk), NoLimits);
            for (int i = 0; i < sizes.Length; i++)
            {
                var message = async ? await reader.ReadAsync(Results, default) : reader.Read(Results);
                Assert.Equal(i, message.Sequence);
                Assert.Equal(sizes[i], message.Payload.Length);
                Assert.True(message.Payload.Span.SequenceEqual(Frame((ushort)i, sizes[i]).AsSpan(24)));
                Assert.Equal("CORR", Assert.Single(message.Annotations).Key);
            }
            var end = async ? await Assert.ThrowsAsync<ConnectionClosedException>(() => reader.ReadAsync(Results, default).AsTask()) : Assert.Throws<ConnectionClosedException>(() => reader.Read(Results));
            Assert.Equal("receiving: connection lost", end.Message);
        }
    }

    /// <summary>A stream that counts the reads made of it.</summary>
    private sealed class CountingStream(byte[] data) : MemoryStream(data)
    {
        public int Reads { get; private set; }

        public override int Read(byte[] buffer, int offset, int count)
        {
            Reads++;
            return base.Read(buffer, offset, count);
        }
    }

    [Fact]
    public void A_stream_of_small_messages_is_read_many_at_a_time()
    {
        // 2,000 oneway-sized messages (~150 KB): the 512-byte starting buffer grows while reads keep filling it.
        var wire = Enumerable.Range(0, 2000).SelectMany(i => Frame((ushort)i, 50)).ToArray();
        var stream = new CountingStream(wire);
        var reader = new MessageReader(stream, NoLimits);
        for (int i = 0; i < 2000; i++) Assert.Equal((ushort)i, reader.Read(Results).Sequence);
        Assert.InRange(stream.Reads, 1, wire.Length / 4096); // at 512 bytes a read it would take ~290
    }

    /// <summary>
    /// A stream that hands out no more than the rest of the current message per read, as a socket does when the peer
    /// sends its next call only after the reply to the last; counts the reads.
    /// </summary>
    private sealed class OneMessageAtATimeStream(byte[] data, int[] messageEnds) : MemoryStream(data)
    {
        public int Reads { get; private set; }

        public override int Read(byte[] buffer, int offset, int count)
        {
            Reads++;
            long end = messageEnds.First(e => e > Position);
            return base.Read(buffer, offset, (int)Math.Min(count, end - Position));
        }
    }

    [Fact]
    public void A_bulk_message_of_a_size_already_delivered_is_read_into_one_buffer_at_once()
    {
        // The first 3 MB message grows the buffer as its bytes arrive (a header alone proves nothing); once one has
        // been delivered, the next of that size gets its buffer at once: two reads (header, rest), no chain of
        // doublings that each copy what had arrived (the cost that held W4 in the peer harness back).
        var first = Frame(1, 3_000_000);
        var second = Frame(2, 3_000_000);
        var stream = new OneMessageAtATimeStream([.. first, .. second], [first.Length, first.Length + second.Length]);
        var reader = new MessageReader(stream, NoLimits, refillOneMessage: true);

        Assert.Equal(1, reader.Read(Results).Sequence);
        int firstReads = stream.Reads;
        var message = reader.Read(Results);

        Assert.Equal(2, message.Sequence);
        Assert.True(message.Payload.Span.SequenceEqual(second.AsSpan(MessageHeader.Size)));
        Assert.InRange(firstReads, 6, int.MaxValue);
        Assert.Equal(2, stream.Reads - firstReads);
    }

    [Fact]
    public void A_buffer_given_up_keeps_the_last_message_and_the_rest_is_still_read()
    {
        var wire = Frame(1, 300).Concat(Frame(2, 300)).Concat(Frame(3, 300)).ToArray();
        var reader = new MessageReader(new MemoryStream(wire), NoLimits);
        var first = reader.Read(Results);
        reader.GiveUpBuffer(); // the second message may already be in the buffer: it moves
        var second = reader.Read(Results);
        var third = reader.Read(Results);
        Assert.True(first.Payload.Span.SequenceEqual(Frame(1, 300).AsSpan(24)));
        Assert.True(second.Payload.Span.SequenceEqual(Frame(2, 300).AsSpan(24)));
        Assert.True(third.Payload.Span.SequenceEqual(Frame(3, 300).AsSpan(24)));
    }

    [Fact]
    public void A_message_cut_short_is_not_enough_data()
    {
        var frame = Frame(1, 50);
        var reader = new MessageReader(new MemoryStream(frame[..40]), NoLimits);
        Assert.Equal("receiving: not enough data", Assert.Throws<ConnectionClosedException>(() => reader.Read(Results)).Message);
    }

    [Fact]
    public void Size_and_type_are_checked_before_the_body_is_waited_for()
    {
        // Only the header arrives: the reader must refuse it rather than wait for 2 GB that never come.
        var header = new byte[MessageHeader.Size];
        new MessageHeader(MessageType.Result, MessageFlags.None, 1, int.MaxValue, 1, 0).Write(header);
        var reader = new MessageReader(new MemoryStream(header), new MessageSecurity(null, 1000));
        Assert.Throws<MessageTooLargeException>(() => reader.Read(Results));

        new MessageHeader(MessageType.Connect, MessageFlags.None, 1, 10, 1, 0).Write(header);
        reader = new MessageReader(new MemoryStream(header), NoLimits);
        Assert.Equal("invalid msg type 1 received", Assert.Throws<ProtocolException>(() => reader.Read(Results)).Message);
    }

    [Fact]
    public void A_message_points_into_the_buffer_until_it_is_detached()
    {
        var wire = Frame(1, 20, new Annotation("USER", "abcd"u8.ToArray())).Concat(Frame(2, 20, new Annotation("USER", "wxyz"u8.ToArray()))).ToArray();
        var reader = new MessageReader(new MemoryStream(wire), NoLimits);
        var first = reader.Read(Results);
        var kept = MessageReader.Detach(first);
        reader.Read(Results);
        Assert.Equal("abcd", Encoding.ASCII.GetString(kept.Annotations[0].Value.Span));
        Assert.True(kept.Payload.Span.SequenceEqual(Frame(1, 20).AsSpan(24)));
        Assert.Equal((MessageType.Result, (ushort)1), (kept.Type, kept.Sequence));
    }

    [Fact]
    public async Task A_daemon_reader_refills_one_message_with_each_request()
    {
        // A daemon connection handles each request before it reads the next, so its reader refills one message object.
        var flags = new[] { MessageFlags.Oneway, MessageFlags.None, MessageFlags.Batch };
        var wire = Enumerable.Range(0, 3).SelectMany(i => MessageCodec.ToBytes(new PyroMessage(MessageType.Result, flags[i], (ushort)(i + 1), (ushort)(i + 4),
            Enumerable.Repeat((byte)i, 10 * (i + 1)).ToArray(), i == 1 ? [new Annotation("CORR", new byte[16])] : []), NoLimits)).ToArray();
        var reader = new MessageReader(new ChunkedStream(wire, 1 << 20), NoLimits, refillOneMessage: true);
        PyroMessage? first = null;
        for (int i = 0; i < 3; i++)
        {
            var message = i == 1 ? reader.Read(Results) : await reader.ReadAsync(Results, CancellationToken.None);
            first ??= message;
            Assert.Same(first, message);
            Assert.Equal((flags[i], (ushort)(i + 1), (ushort)(i + 4)), (message.Flags, message.Sequence, message.SerializerId));
            Assert.Equal(Enumerable.Repeat((byte)i, 10 * (i + 1)), message.Payload.ToArray());
            Assert.Equal(i == 1 ? 1 : 0, message.Annotations.Count);
        }

        // Any other reader makes a message per read.
        var plain = new MessageReader(new ChunkedStream(wire, 1 << 20), NoLimits);
        Assert.NotSame(plain.Read(Results), plain.Read(Results));
    }
}
