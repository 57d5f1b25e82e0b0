using System.Collections;
using System.Text;
using TypedPyro.Protocol;
using TypedPyro.Serialization;
using TypedPyro.Tests.Support;

namespace TypedPyro.Tests.Serialization.Pyro5;

/// <summary>
/// Pyro5's class dictionaries (<c>Pyro5.core.URI</c>, <c>Pyro5.errors.*</c>, <c>Pyro5.client.Proxy</c>) read as the
/// values the layers above know, and TypedPyro's values go out under Pyro5's names: checked on the captured replies.
/// </summary>
public class Pyro5ClassNameTests
{
    private static async Task<object?> Payload(string vector, int index)
    {
        var m = Pyro5Vector.Load(vector).Messages[index];
        var message = await Pyro5Codec.ReadAsync(new MemoryStream(m.Bytes), MessageCodec.AnyType, MessageSecurity.None);
        return Pyro5Serializers.Find(message.SerializerId)!.Deserialize(message.GetSerializedData().Span);
    }

    private static byte[] PayloadBytes(string vector, int index)
    {
        var m = Pyro5Vector.Load(vector).Messages[index];
        return Pyro5Codec.ReadAsync(new MemoryStream(m.Bytes), MessageCodec.AnyType, MessageSecurity.None).AsTask().Result.Payload.ToArray();
    }

    [Fact]
    public async Task A_name_server_lookup_reply_is_a_uri_and_a_uri_is_written_byte_for_byte()
    {
        // cap_nameserver_serpent message 9: the reply to lookup('example.one').
        var uri = PyroUri.FromWireValue(await Payload("cap_nameserver_serpent", 9));
        Assert.Equal("PYRO:one@10.0.0.1:1111", uri.ToString());
        Assert.Equal(Encoding.UTF8.GetString(PayloadBytes("cap_nameserver_serpent", 9)), Encoding.UTF8.GetString(Pyro5Serializers.Serpent.Serialize(PyroUri.Parse("PYRO:one@10.0.0.1:1111"))));
    }

    [Fact]
    public async Task A_lookup_with_metadata_is_a_uri_and_a_set()
    {
        var reply = Assert.IsType<PyTuple>(await Payload("cap_nameserver_serpent", 11));
        Assert.Equal("PYRO:one@10.0.0.1:1111", PyroUri.FromWireValue(reply[0]).ToString());
        Assert.Equal(["blue", "red"], ((IEnumerable)reply[1]!).Cast<string>().Order());
    }

    [Fact]
    public async Task A_Pyro5_NamingError_is_a_NamingException()
    {
        var messages = Pyro5Vector.Load("cap_nameserver_serpent").Messages;
        var e = PyroExceptionMapping.FromWireValue(await Payload("cap_nameserver_serpent", messages.Count - 1));
        Assert.IsType<NamingException>(e);
        Assert.Equal("unknown name: no.such.name", e.Message);
    }

    [Theory]
    [InlineData("cap_exception_serpent")]
    [InlineData("cap_exception_json")]
    public async Task A_remote_ValueError_is_an_ArgumentException_with_its_message_and_traceback(string vector)
    {
        var e = PyroExceptionMapping.FromWireValue(await Payload(vector, 5));
        Assert.IsType<ArgumentException>(e);
        Assert.Equal("the message of the error", e.Message);
        Assert.Contains("Pyro5/server.py", e.GetRemoteException()!.RemoteTraceback);
    }

    [Fact]
    public async Task The_iterator_pseudo_exception_reads_as_Pyro4s_ProtocolError()
    {
        var value = (IDictionary)(await Payload("cap_stream_serpent", 3))!;
        Assert.Equal("Pyro4.errors.ProtocolError", value["__class__"]);
    }

    [Theory]
    [InlineData("cap_echo_serpent")]
    [InlineData("cap_echo_json")]
    [InlineData("cap_echo_marshal")]
    [InlineData("cap_echo_msgpack")]
    public async Task The_CONNECTOK_metadata_reads_in_every_serializer(string vector)
    {
        var reply = (IDictionary)(await Payload(vector, 1))!;
        Assert.Equal("hello", reply["handshake"]);
        var meta = PyroObjectMetadata.FromWireValue(reply["meta"]);
        Assert.Equal(11, meta.Methods.Count);
        Assert.Equal(["oneway_echo", "oneway_slow"], meta.Oneway.Order());
        Assert.Equal(["verbose"], meta.Attributes);
    }

    [Fact]
    public void An_exception_goes_out_as_a_Pyro5_error_and_the_callers_value_is_untouched()
    {
        var wire = PyroExceptionMapping.ToWireValue(new NamingException("unknown name: x"));
        var text = Encoding.UTF8.GetString(Pyro5Serializers.Serpent.Serialize(wire));
        Assert.StartsWith("# serpent utf-8 python3.2\n{'__class__':'Pyro5.errors.NamingError','__exception__':True,'args':('unknown name: x',)", text);
        Assert.Equal("Pyro4.errors.NamingError", wire["__class__"]);
        // Nested too: a batch's exception wrapper and the error inside it.
        var batch = new List<object?> { 1L, new Dictionary<object, object?> { ["__class__"] = "Pyro4.futures._ExceptionWrapper", ["exception"] = wire } };
        var json = Encoding.UTF8.GetString(Pyro5Serializers.Json.Serialize(batch));
        Assert.Contains("\"Pyro5.core._ExceptionWrapper\"", json);
        Assert.Contains("\"Pyro5.errors.NamingError\"", json);
        Assert.DoesNotContain("Pyro4", json);
    }

    [Fact]
    public void A_proxy_goes_out_with_Pyro5s_class_and_state_and_comes_back()
    {
        var reference = new PyroProxyReference(PyroUri.Parse("PYRO:obj@localhost:5555"), null);
        var bytes = Pyro5Serializers.Serpent.Serialize(reference);
        Assert.Equal("# serpent utf-8 python3.2\n{'__class__':'Pyro5.client.Proxy','state':('PYRO:obj@localhost:5555',(),(),(),'hello',None)}", Encoding.UTF8.GetString(bytes));
        var back = (IDictionary)Pyro5Serializers.Serpent.Deserialize(bytes)!;
        Assert.Equal(PyroProxyReference.WireClassName, back["__class__"]);
        Assert.Equal(9, ((PyTuple)back["state"]!).Count);
    }

    [Fact]
    public void Call_arguments_are_renamed_both_ways()
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        Pyro5Serializers.Serpent.SerializeCall(buffer, "obj", "register", [ "n", PyroUri.Parse("PYRO:x@h:1") ], null);
        var text = Encoding.UTF8.GetString(buffer.WrittenSpan);
        Assert.Contains("'Pyro5.core.URI'", text);
        var call = Pyro5Serializers.Serpent.DeserializeCall(buffer.WrittenSpan);
        Assert.Equal(PyroUri.WireClassName, ((IDictionary)call.Args[1]!)["__class__"]);
    }
}
