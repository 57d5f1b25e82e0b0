using System.Text;
using System.Text.Json;
using TypedPyro.Protocol;
using TypedPyro.Tests.Support;

namespace TypedPyro.Tests.Protocol;

/// <summary>Every message captured from Python Pyro4 4.82 parses to the recorded fields and re-frames to the same bytes.</summary>
public class FramingVectorTests
{
    private static readonly byte[] Secret = "secret"u8.ToArray();

    public static TheoryData<string> Messages => Vector.Theory("msg_");

    public static TheoryData<string> Conversations => Vector.Theory("cap_");

    [Theory]
    [MemberData(nameof(Messages))]
    public async Task Message_vector_parses_and_reframes_byte_for_byte(string name)
    {
        var vector = Vector.Load(name);
        await AssertParsesAndReframes(vector.Bytes, vector.Decoded);
    }

    [Theory]
    [MemberData(nameof(Conversations))]
    public async Task Every_message_of_a_real_conversation_parses_and_reframes(string name)
    {
        var vector = Vector.Load(name);
        var all = vector.Bytes;
        foreach (var m in vector.Decoded.GetProperty("messages").EnumerateArray())
        {
            var bytes = all.AsSpan(m.GetProperty("offset").GetInt32(), m.GetProperty("length").GetInt32()).ToArray();
            Assert.Equal(m.GetProperty("hex").GetString(), Convert.ToHexStringLower(bytes));
            await AssertParsesAndReframes(bytes, m, keyForSigned: name.Contains("mismatch") && m.GetProperty("direction").GetString() == "c2s" ? "wrong"u8.ToArray() : Secret);
        }
    }

    private static async Task AssertParsesAndReframes(byte[] bytes, JsonElement decoded, byte[]? keyForSigned = null)
    {
        var h = decoded.GetProperty("header");
        var expectedAnnotations = decoded.GetProperty("annotations").EnumerateArray()
            .Select(a => (Key: a.GetProperty("key").GetString()!, Value: a.GetProperty("hex").GetString()!)).ToList();
        bool signed = expectedAnnotations.Any(a => a.Key == "HMAC");
        var security = new MessageSecurity(signed ? keyForSigned ?? Secret : null);

        var message = await MessageCodec.ReadAsync(new MemoryStream(bytes), MessageCodec.AnyType, security);

        Assert.Equal(h.GetProperty("type").GetInt32(), (int)message.Type);
        Assert.Equal(h.GetProperty("flags").GetInt32(), (int)message.Flags);
        Assert.Equal(h.GetProperty("seq").GetInt32(), message.Sequence);
        Assert.Equal(h.GetProperty("serializer_id").GetInt32(), message.SerializerId);
        Assert.Equal(h.GetProperty("data_size").GetInt32(), message.Payload.Length);
        Assert.Equal(expectedAnnotations, message.Annotations.Select(a => (a.Key, Convert.ToHexStringLower(a.Value.Span))).ToList());
        if (decoded.TryGetProperty("payload_text", out var text) && text.ValueKind == JsonValueKind.String
            && !(decoded.TryGetProperty("payload_compressed", out var c) && c.GetBoolean()))
        {
            Assert.Equal(text.GetString(), Encoding.UTF8.GetString(message.GetSerializedData().Span));
        }

        var unsigned = message.Annotations.Where(a => a.Key != Annotation.Hmac).ToList();
        var reframed = MessageCodec.ToBytes(new PyroMessage(message.Type, message.Flags, message.Sequence, message.SerializerId, message.Payload, unsigned), security);
        Assert.Equal(Convert.ToHexStringLower(bytes), Convert.ToHexStringLower(reframed));
    }
}
