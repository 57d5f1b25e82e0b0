using System.Text;
using TypedPyro.Protocol;
using TypedPyro.Tests.Support;

namespace TypedPyro.Tests.Protocol;

public class MessageCodecTests
{
    private static readonly byte[] Payload = "# serpent utf-8 python3.2\n'hello'"u8.ToArray();

    private static PyroMessage Result(params Annotation[] annotations)
        => new(MessageType.Result, MessageFlags.None, 7, 1, Payload, annotations);

    [Fact]
    public void Checksum_matches_the_worked_example_of_the_spec()
    {
        var header = new MessageHeader(MessageType.Invoke, MessageFlags.None, 1, 66, 1, 0);
        Assert.Equal(0x3561, header.Checksum);
    }

    [Fact]
    public void Header_with_wrong_checksum_is_refused()
    {
        var bytes = Vector.Load("msg_invoke_echo_serpent").Bytes;
        bytes[23] ^= 1;
        var e = Assert.Throws<ProtocolException>(() => MessageHeader.Parse(bytes));
        Assert.Equal("header checksum mismatch", e.Message);
    }

    [Theory]
    [InlineData(0, (byte)'X')]
    [InlineData(5, 49)]
    public void Header_with_wrong_tag_or_version_is_refused(int offset, byte value)
    {
        var bytes = Vector.Load("msg_invoke_echo_serpent").Bytes;
        bytes[offset] = value;
        var e = Assert.Throws<ProtocolException>(() => MessageHeader.Parse(bytes));
        Assert.Equal("invalid data or unsupported protocol version", e.Message);
    }

    [Fact]
    public async Task Oversized_message_is_refused_before_its_body_is_allocated()
    {
        // A header announcing 2 GB followed by nothing: the limit must trip on the header alone.
        var header = new byte[MessageHeader.Size];
        new MessageHeader(MessageType.Invoke, MessageFlags.None, 1, int.MaxValue, 1, 0).Write(header);
        var stream = new MemoryStream(header);
        await Assert.ThrowsAsync<MessageTooLargeException>(async () =>
            await MessageCodec.ReadAsync(stream, MessageCodec.AnyType, new MessageSecurity(MaxMessageSize: 1024)));
    }

    [Fact]
    public void Oversized_message_is_refused_when_sending()
    {
        var big = new PyroMessage(MessageType.Invoke, MessageFlags.None, 1, 1, new byte[2000]);
        Assert.Throws<MessageTooLargeException>(() => MessageCodec.ToBytes(big, new MessageSecurity(MaxMessageSize: 1000)));
    }

    [Fact]
    public async Task Unexpected_message_type_is_refused_without_reading_the_body()
    {
        var bytes = MessageCodec.ToBytes(Result(), MessageSecurity.None);
        var stream = new MemoryStream(bytes);
        var e = await Assert.ThrowsAsync<ProtocolException>(async () =>
            await MessageCodec.ReadAsync(stream, MessageCodec.Accept(MessageType.Connect), MessageSecurity.None));
        Assert.Equal("invalid msg type 5 received", e.Message);
        Assert.Equal(MessageHeader.Size, stream.Position);
    }

    [Fact]
    public async Task Truncated_message_is_a_closed_connection()
    {
        var bytes = MessageCodec.ToBytes(Result(), MessageSecurity.None);
        await Assert.ThrowsAsync<ConnectionClosedException>(async () =>
            await MessageCodec.ReadAsync(new MemoryStream(bytes[..^3]), MessageCodec.AnyType, MessageSecurity.None));
        await Assert.ThrowsAsync<ConnectionClosedException>(async () =>
            await MessageCodec.ReadAsync(new MemoryStream(bytes[..10]), MessageCodec.AnyType, MessageSecurity.None));
    }

    [Fact]
    public void Annotation_limits_are_enforced()
    {
        Assert.Throws<ProtocolException>(() => MessageCodec.ToBytes(Result(new Annotation("BIGA", new byte[65536])), MessageSecurity.None));
        Assert.Throws<ProtocolException>(() => MessageCodec.ToBytes(Result(new Annotation("AAAA", new byte[40000]), new Annotation("BBBB", new byte[40000])), MessageSecurity.None));
        Assert.Throws<ArgumentException>(() => MessageCodec.ToBytes(Result(new Annotation("TOOLONG", new byte[1])), MessageSecurity.None));
        Assert.Throws<ArgumentException>(() => MessageCodec.ToBytes(Result(new Annotation("ÄÖÜß", new byte[1])), MessageSecurity.None));
        // Exactly at the limit is fine: one chunk of 65529 bytes makes a 65535-byte block.
        var ok = MessageCodec.ToBytes(Result(new Annotation("FULL", new byte[65529])), MessageSecurity.None);
        Assert.Equal(MessageHeader.Size + 65535 + Payload.Length, ok.Length);
    }

    [Fact]
    public async Task Hmac_round_trips_and_detects_tampering()
    {
        var key = "k3y"u8.ToArray();
        var message = Result(new Annotation("ZZZZ", "zz"u8.ToArray()), new Annotation("AAAA", "aa"u8.ToArray()));
        var bytes = MessageCodec.ToBytes(message, new MessageSecurity(key));
        var read = await MessageCodec.ReadAsync(new MemoryStream(bytes), MessageCodec.AnyType, new MessageSecurity(key));
        Assert.Equal("HMAC", read.Annotations[^1].Key);

        var tampered = (byte[])bytes.Clone();
        tampered[^1] ^= 0x20;
        var e = await Assert.ThrowsAsync<PyroSecurityException>(async () =>
            await MessageCodec.ReadAsync(new MemoryStream(tampered), MessageCodec.AnyType, new MessageSecurity(key)));
        Assert.Equal("message hmac mismatch", e.Message);

        var wrongKey = await Assert.ThrowsAsync<PyroSecurityException>(async () =>
            await MessageCodec.ReadAsync(new MemoryStream(bytes), MessageCodec.AnyType, new MessageSecurity("other"u8.ToArray())));
        Assert.Equal("message hmac mismatch", wrongKey.Message);
    }

    [Fact]
    public async Task One_sided_hmac_keys_are_refused_both_ways()
    {
        var signed = MessageCodec.ToBytes(Result(), new MessageSecurity("k"u8.ToArray()));
        var unsigned = MessageCodec.ToBytes(Result(), MessageSecurity.None);
        var e1 = await Assert.ThrowsAsync<PyroSecurityException>(async () =>
            await MessageCodec.ReadAsync(new MemoryStream(signed), MessageCodec.AnyType, MessageSecurity.None));
        var e2 = await Assert.ThrowsAsync<PyroSecurityException>(async () =>
            await MessageCodec.ReadAsync(new MemoryStream(unsigned), MessageCodec.AnyType, new MessageSecurity("k"u8.ToArray())));
        Assert.Equal("hmac key config not symmetric", e1.Message);
        Assert.Equal("hmac key config not symmetric", e2.Message);
    }

    [Fact]
    public void Correlation_id_uses_rfc4122_byte_order()
    {
        var vector = Vector.Load("msg_invoke_echo_corr_serpent");
        var id = Guid.Parse("7f3e9a52-1c4b-4d8e-9f60-a1b2c3d4e5f6");
        Assert.Equal("7f3e9a521c4b4d8e9f60a1b2c3d4e5f6", Convert.ToHexStringLower(CorrelationId.ToBytes(id)));
        Assert.Equal(id, CorrelationId.FromBytes(CorrelationId.ToBytes(id)));
        Assert.Contains("7f3e9a521c4b4d8e9f60a1b2c3d4e5f6", Convert.ToHexStringLower(vector.Bytes));
    }

    [Fact]
    public void New_correlation_ids_are_random_version_4_uuids()
    {
        var ids = Enumerable.Range(0, 10_000).Select(_ => CorrelationId.NewRandom()).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
        foreach (var id in ids)
        {
            var bytes = CorrelationId.ToBytes(id);
            Assert.Equal(0x40, bytes[6] & 0xF0); // version 4, as Python's uuid4()
            Assert.Equal(0x80, bytes[8] & 0xC0); // RFC 4122 variant
            Assert.Equal(4, id.Version);
        }
        // Every other bit varies.
        var or = new byte[16];
        var and = Enumerable.Repeat((byte)0xFF, 16).ToArray();
        foreach (var id in ids.Take(200))
        {
            var bytes = CorrelationId.ToBytes(id);
            for (int i = 0; i < 16; i++) { or[i] |= bytes[i]; and[i] &= bytes[i]; }
        }
        Assert.Equal("FFFFFFFFFFFF4FFFBFFFFFFFFFFFFFFF", Convert.ToHexString(or));
        Assert.Equal("00000000000040008000000000000000", Convert.ToHexString(and));
    }

    [Fact]
    public async Task Compressed_payload_from_python_inflates_to_the_recorded_text()
    {
        var vector = Vector.Load("msg_invoke_echo_compressed_serpent");
        var message = await MessageCodec.ReadAsync(new MemoryStream(vector.Bytes), MessageCodec.AnyType, MessageSecurity.None);
        Assert.True(message.Has(MessageFlags.Compressed));
        Assert.Equal(vector.Decoded.GetProperty("payload_text").GetString(), Encoding.UTF8.GetString(message.GetSerializedData().Span));
    }

    [Fact]
    public void Compression_only_when_large_enough_and_smaller()
    {
        Assert.Null(PayloadCompression.TryCompress(new byte[199]));
        var compressible = Encoding.ASCII.GetBytes(new string('a', 1000));
        var compressed = PayloadCompression.TryCompress(compressible);
        Assert.NotNull(compressed);
        Assert.Equal(compressible, PayloadCompression.Decompress(compressed));
        var random = new byte[1000];
        new Random(1).NextBytes(random);
        Assert.Null(PayloadCompression.TryCompress(random));
    }

    [Fact]
    public void Decompression_bomb_is_refused()
    {
        var bomb = PayloadCompression.TryCompress(new byte[10_000_000])!;
        Assert.Throws<ProtocolException>(() => PayloadCompression.Decompress(bomb, maxSize: 1_000_000));
        Assert.Throws<ProtocolException>(() => PayloadCompression.Decompress([0x78, 0x9c, 1, 2, 3]));
    }

    [Fact]
    public async Task Garbage_annotations_block_is_a_protocol_error()
    {
        // Announce 8 annotation bytes whose chunk claims 100 bytes of value.
        var body = new byte[] { (byte)'A', (byte)'B', (byte)'C', (byte)'D', 0, 100, 0, 0 };
        var header = new byte[MessageHeader.Size];
        new MessageHeader(MessageType.Invoke, MessageFlags.None, 1, 0, 1, (ushort)body.Length).Write(header);
        await Assert.ThrowsAsync<ProtocolException>(async () =>
            await MessageCodec.ReadAsync(new MemoryStream([.. header, .. body]), MessageCodec.AnyType, MessageSecurity.None));
    }
}
