using System.Text;
using TypedPyro.Protocol;
using TypedPyro.Tests.Support;

namespace TypedPyro.Tests.Protocol.Pyro5;

/// <summary>
/// Every message captured from Python Pyro5 (protocol 502) parses to the recorded header fields, annotations and
/// payload, and re-frames to the same bytes; the probes' bad headers fail with the text Pyro5 answers them with.
/// </summary>
public class Pyro5FramingVectorTests
{
    public static TheoryData<string> Conversations => Pyro5Vector.Theory("cap_");

    // probe_unknown_serializer got no reply (the daemon closed): its request is checked on its own below.
    public static TheoryData<string> ProbesWithReplies => Pyro5Vector.Theory("probe_", n => !Pyro5Vector.Load(n).ClosedWithoutReply);

    [Theory]
    [MemberData(nameof(Conversations))]
    public async Task Every_message_of_a_conversation_parses_and_reframes_byte_for_byte(string name)
    {
        var vector = Pyro5Vector.Load(name);
        Assert.NotEmpty(vector.Messages);
        foreach (var m in vector.Messages) await AssertParsesAndReframes(m);
    }

    [Theory]
    [MemberData(nameof(ProbesWithReplies))]
    public async Task Probe_replies_parse_and_reframe_byte_for_byte(string name)
    {
        var vector = Pyro5Vector.Load(name);
        Assert.NotEmpty(vector.Messages);
        foreach (var m in vector.Messages) await AssertParsesAndReframes(m);
    }

    [Theory]
    [InlineData("probe_bad_magic", "invalid message or protocol version")]
    [InlineData("probe_garbage_header", "invalid data")]
    [InlineData("probe_pyro4_connect", "invalid protocol version: 48")]
    [InlineData("probe_wrong_version", "invalid protocol version: 501")]
    [InlineData("probe_oversize_claim", "message too large (2147483647, max=1073741824)")]
    [InlineData("probe_invoke_before_connect", "invalid msg type 4 received (expected: 1)")]
    [InlineData("probe_ping_before_connect", "invalid msg type 6 received (expected: 1)")]
    public async Task A_bad_first_message_fails_with_the_text_Pyro5_replies(string name, string text)
    {
        var vector = Pyro5Vector.Load(name);
        // The daemon's CONNECTFAIL carries the same text, marshalled.
        Assert.EndsWith(Convert.ToHexStringLower(Encoding.ASCII.GetBytes(text)), Convert.ToHexStringLower(vector.Messages.Single().Bytes));
        var e = await Assert.ThrowsAnyAsync<ProtocolException>(() => Pyro5Codec.ReadAsync(new MemoryStream(vector.Request), MessageCodec.Accept(MessageType.Connect), MessageSecurity.None).AsTask());
        Assert.Equal(text, e.Message);
    }

    [Fact]
    public async Task An_unknown_serializer_id_survives_the_round_trip()
    {
        var request = Pyro5Vector.Load("probe_unknown_serializer").Request;
        var message = await Pyro5Codec.ReadAsync(new MemoryStream(request), MessageCodec.AnyType, MessageSecurity.None);
        Assert.Null(TypedPyro.Serialization.PyroSerializers.Find(message.SerializerId));
        Assert.Equal(9, Pyro5Wire.ToWireSerializer(message.SerializerId));
        Assert.Equal(Convert.ToHexStringLower(request), Convert.ToHexStringLower(Pyro5Codec.ToBytes(message, MessageSecurity.None)));
    }

    [Fact]
    public void A_Pyro4_flag_set_maps_to_Pyro5_bits_and_back()
    {
        var all = MessageFlags.Exception | MessageFlags.Compressed | MessageFlags.Oneway | MessageFlags.Batch | MessageFlags.ItemStreamResult | MessageFlags.KeepSerialized;
        Assert.Equal(0x3F, Pyro5Wire.ToWireFlags(all));
        Assert.Equal(all, Pyro5Wire.FromWireFlags(0x3F));
        // FLAGS_CORR_ID is the header's correlation id, carried as the CORR annotation: not a model flag.
        Assert.Equal(MessageFlags.None, Pyro5Wire.FromWireFlags(Pyro5Wire.CorrelationFlag));
        Assert.Equal(0, Pyro5Wire.ToWireFlags(MessageFlags.MetaOnConnect));
    }

    [Fact]
    public async Task A_truncated_annotation_chunk_is_a_protocol_error()
    {
        var bytes = Pyro5Vector.Load("cap_annotations_corr_serpent").Messages[0].Bytes;
        bytes[16 + 3] = 13; // annotations size 14 -> 13: the chunk no longer fits
        bytes[12 + 3] += 1; // and the data size one more, so that the total still matches
        var e = await Assert.ThrowsAnyAsync<ProtocolException>(() => Pyro5Codec.ReadAsync(new MemoryStream(bytes), MessageCodec.AnyType, MessageSecurity.None).AsTask());
        Assert.Equal("annotation chunk length exceeds remaining data", e.Message);
    }

    [Fact]
    public async Task A_stream_that_ends_inside_the_body_is_a_closed_connection()
    {
        var bytes = Pyro5Vector.Load("cap_echo_serpent").Messages[0].Bytes;
        await Assert.ThrowsAsync<ConnectionClosedException>(() => Pyro5Codec.ReadAsync(new MemoryStream(bytes[..^5]), MessageCodec.AnyType, MessageSecurity.None).AsTask());
    }

    private static async Task AssertParsesAndReframes(Pyro5VectorMessage m)
    {
        var message = await Pyro5Codec.ReadAsync(new MemoryStream(m.Bytes), MessageCodec.AnyType, MessageSecurity.None);

        Assert.Equal(m.Type, (int)message.Type);
        Assert.Equal(m.SerializerId, Pyro5Wire.ToWireSerializer(message.SerializerId));
        Assert.Equal(m.Sequence, message.Sequence);
        bool hasCorrelation = (m.Flags & Pyro5Wire.CorrelationFlag) != 0;
        Assert.Equal(m.Flags & ~Pyro5Wire.CorrelationFlag, Pyro5Wire.ToWireFlags(message.Flags));
        Assert.Equal(hasCorrelation ? m.CorrelationId : null, message.CorrelationId);
        Assert.Equal(m.Annotations, message.Annotations.Where(a => a.Key != Annotation.Correlation).Select(a => (a.Key, Convert.ToHexStringLower(a.Value.Span))).ToList());
        if (m.PayloadText is { } text && (m.SerializerId is 1 or 3))
            Assert.Equal(text, Encoding.UTF8.GetString(message.GetSerializedData().Span));

        Assert.Equal(Convert.ToHexStringLower(m.Bytes), Convert.ToHexStringLower(Pyro5Codec.ToBytes(message, MessageSecurity.None)));
    }
}
