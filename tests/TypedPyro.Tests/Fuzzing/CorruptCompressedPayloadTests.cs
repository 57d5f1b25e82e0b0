using TypedPyro.Protocol;

namespace TypedPyro.Tests.Fuzzing;

/// <summary>
/// Found by fuzzing (fuzz/regressions/message/message_corrupt_zlib_1): a compressed payload whose zlib data is
/// corrupt in a way .NET reports as ZLibException (an IOException) escaped instead of the documented ProtocolException.
/// </summary>
public class CorruptCompressedPayloadTests
{
    // The fuzzer's input without its settings byte: a compressed INVOKE (with a CORR annotation) whose deflate data is damaged.
    private const string Message = "5059524f00300004000200010000004600010000400035677820000000210001001600002053434f525200107f3e9a521c4b4d8e9f60a1b24e2d2a48cd2b51282d49d3b55028a82cc9c8cf33d633e2d2502f492d7fd14b4dcec8072a294b2d52f7510771d47534d42b46006374272c276563acf0a00f";

    [Fact]
    public void A_zlib_error_of_a_compressed_payload_is_a_protocol_error()
    {
        var reader = new MessageReader(new MemoryStream(Convert.FromHexString(Message)), MessageSecurity.None);
        var message = reader.Read(MessageCodec.AnyType);
        Assert.True(message.Has(MessageFlags.Compressed));
        Assert.Throws<ProtocolException>(() => message.GetSerializedData());
    }
}
