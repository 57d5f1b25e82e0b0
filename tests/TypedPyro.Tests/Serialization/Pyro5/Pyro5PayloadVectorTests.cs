using System.Text;
using TypedPyro.Protocol;
using TypedPyro.Serialization;
using TypedPyro.Tests.Support;

namespace TypedPyro.Tests.Serialization.Pyro5;

/// <summary>
/// Every payload captured from Python Pyro5 decodes with TypedPyro's serializers in their Pyro5 form, and re-encodes
/// to the same bytes. Two exceptions, both compared by value instead: marshal, whose bytes depend on Python's object
/// identities (reference flags) and whose sets are in hash order, is checked against the recorded repr; and the one
/// serpent reply holding raw bytes (cap_serializedblob_serpent), which serpent writes as a base64 dict with Python's
/// repr spacing, a dict our reader leaves as a dict (whether it is bytes is for the contract to say).
/// </summary>
public class Pyro5PayloadVectorTests
{
    public static TheoryData<string> All => Pyro5Vector.Theory("", n => n != "index" && !Pyro5Vector.Load(n).ClosedWithoutReply);

    [Theory]
    [MemberData(nameof(All))]
    public async Task Every_payload_decodes_and_reencodes(string name)
    {
        var vector = Pyro5Vector.Load(name);
        foreach (var m in vector.Messages)
        {
            var message = await Pyro5Codec.ReadAsync(new MemoryStream(m.Bytes), MessageCodec.AnyType, MessageSecurity.None);
            var serializer = Pyro5Serializers.Find(message.SerializerId)!;
            var data = message.GetSerializedData().ToArray();
            string what = $"{name} seq {m.Sequence} {m.Direction}";
            if (message.Type == MessageType.Invoke && !message.Has(MessageFlags.KeepSerialized))
            {
                var call = serializer.DeserializeCall(data);
                var again = new System.Buffers.ArrayBufferWriter<byte>();
                serializer.SerializeCall(again, call.ObjectId, call.Method, call.Args, call.Kwargs);
                AssertSame(m, data, again.WrittenSpan.ToArray(), () => new PyTuple(call.ObjectId, call.Method, new List<object?>(call.Args), call.Kwargs is null ? null : call.Kwargs.ToDictionary(k => (object)k.Key, k => k.Value)), what);
            }
            else
            {
                var value = serializer.Deserialize(data);
                AssertSame(m, data, serializer.Serialize(value), () => value, what);
            }
        }
    }

    private static void AssertSame(Pyro5VectorMessage m, byte[] recorded, byte[] reencoded, Func<object?> decoded, string what)
    {
        if (m.SerializerId == 2)
        {
            // The recorded text is Python's repr of the value: a Python literal, which serpent reads.
            var expected = PyroSerializers.Serpent.Deserialize(Encoding.UTF8.GetBytes(m.PayloadText!["marshal: ".Length..]));
            Assert.True(PyValueComparer.Instance.Equals(expected, decoded()), $"{what}: {PythonRepr.Format(decoded())}");
            return;
        }
        if (what.StartsWith("cap_serializedblob_serpent seq 1 s2c", StringComparison.Ordinal))
        {
            Assert.True(PyValueComparer.Instance.Equals(PyroSerializers.Serpent.Deserialize(reencoded), decoded()), what);
            Assert.Contains("'data': 'IyBzZXJwZW50", Encoding.UTF8.GetString(recorded));
            return;
        }
        Assert.True(Convert.ToHexStringLower(recorded) == Convert.ToHexStringLower(reencoded),
            $"{what}:\n{Encoding.UTF8.GetString(recorded)}\n{Encoding.UTF8.GetString(reencoded)}");
    }
}
