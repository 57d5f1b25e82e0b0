using System.Buffers;
using System.Text.Json;
using TypedPyro.Serialization;
using TypedPyro.Tests.Support;

namespace TypedPyro.Tests.Serialization.Json;

/// <summary>
/// Every json payload in the msg_, cap_ and probe_ vectors (real Pyro4 traffic), and the json call layout.
/// </summary>
public class JsonMessageTests
{
    private static readonly PyroJsonSerializer Json = PyroJsonSerializer.Instance;

    public static TheoryData<string> JsonPayloads => VectorMessages.Theory(2);

    public static TheoryData<string> JsonInvokes => VectorMessages.Theory(2, m => m.Type == VectorMessage.MsgInvoke);

    [Fact]
    public void Vectors_contain_json_traffic()
    {
        var all = VectorMessages.WithSerializer(2).ToList();
        Assert.True(all.Count >= 59, $"only {all.Count} json messages found");
        Assert.Contains(all, m => m.Vector == "msg_invoke_echo_json");
        Assert.True(all.Count(m => m.Type == VectorMessage.MsgInvoke) >= 20);
    }

    [Theory]
    [MemberData(nameof(JsonPayloads))]
    public void Payload_deserializes_to_the_decoded_value(string id)
    {
        var m = VectorMessages.Get(id);
        var value = Json.Deserialize(m.Payload);
        if (m.Decoded.TryGetProperty("payload", out var expected))
        {
            JsonAssert.Equal(TypedNotation.ToValue(expected), value);
        }
        else
        {
            Assert.Fail("vector message without a decoded payload: " + id);
        }
    }

    [Theory]
    [MemberData(nameof(JsonPayloads))]
    public void Payload_reserializes_byte_identically(string id)
    {
        var m = VectorMessages.Get(id);
        JsonAssert.EqualBytes(m.Payload, Json.Serialize(Json.Deserialize(m.Payload)));
    }

    [Theory]
    [MemberData(nameof(JsonInvokes))]
    public void Invoke_payload_round_trips_through_the_call_api(string id)
    {
        var m = VectorMessages.Get(id);
        PyroCall call = Json.DeserializeCall(m.Payload);

        // Independently of the reader under test: the vector's decoded payload names the same call.
        var decoded = m.Decoded.GetProperty("payload");
        Assert.Equal(decoded.GetProperty("object").GetString(), call.ObjectId);
        Assert.Equal(decoded.GetProperty("method").GetString(), call.Method);
        JsonAssert.Equal(TypedNotation.ToValue(decoded.GetProperty("params")), call.Args);
        if (decoded.GetProperty("kwargs").ValueKind == JsonValueKind.Null) Assert.Null(call.Kwargs);
        else JsonAssert.Equal(TypedNotation.ToValue(decoded.GetProperty("kwargs")), new Dictionary<object, object?>(call.Kwargs!.Select(p => new KeyValuePair<object, object?>(p.Key, p.Value))));

        var buffer = new ArrayBufferWriter<byte>();
        Json.SerializeCall(buffer, call.ObjectId, call.Method, call.Args, call.Kwargs);
        JsonAssert.EqualBytes(m.Payload, buffer.WrittenSpan.ToArray());
    }

    [Fact]
    public void Invoke_echo_is_written_from_plain_arguments()
    {
        // Arguments as a caller has them (a tuple of args, an empty kwargs dictionary), not as the reader returns them.
        var m = VectorMessages.Get("msg_invoke_echo_json");
        var buffer = new ArrayBufferWriter<byte>();
        Json.SerializeCall(buffer, "test.echoserver", "echo", new PyTuple("hello"), new Dictionary<string, object?>());
        JsonAssert.EqualBytes(m.Payload, buffer.WrittenSpan.ToArray());
    }

    [Fact]
    public void Batch_call_has_null_kwargs_and_list_of_triples()
    {
        var m = VectorMessages.Get("msg_invoke_batch_json");
        var calls = new object?[]
        {
            new PyTuple("echo", new PyTuple("a"), new Dictionary<string, object?>()),
            new PyTuple("echo", new PyTuple("b"), new Dictionary<string, object?>()),
            new PyTuple("error", PyTuple.Empty, new Dictionary<string, object?>()),
            new PyTuple("echo", new PyTuple("never"), new Dictionary<string, object?>()),
        };
        var buffer = new ArrayBufferWriter<byte>();
        Json.SerializeCall(buffer, "test.echoserver", "<batch>", calls, null);
        JsonAssert.EqualBytes(m.Payload, buffer.WrittenSpan.ToArray());
    }

    [Fact]
    public void Kwargs_call_keeps_key_order()
    {
        var m = VectorMessages.Get("msg_invoke_echo_kwargs_json");
        var buffer = new ArrayBufferWriter<byte>();
        Json.SerializeCall(buffer, "test.echoserver", "echo", [], new Dictionary<string, object?> { ["message"] = "hello" });
        JsonAssert.EqualBytes(m.Payload, buffer.WrittenSpan.ToArray());
    }

    [Fact]
    public void Call_layout_is_object_method_params_kwargs()
    {
        var buffer = new ArrayBufferWriter<byte>();
        Json.SerializeCall(buffer, "o", "m", [1L, 2.5, null], new Dictionary<string, object?> { ["b"] = 1L, ["a"] = "x" });
        var text = System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
        // Checked against Python: json.dumps({"object": "o", "method": "m", "params": [1, 2.5, None], "kwargs": {"b": 1, "a": "x"}})
        using var doc = JsonDocument.Parse(text);
        Assert.Equal(["object", "method", "params", "kwargs"], doc.RootElement.EnumerateObject().Select(p => p.Name).ToArray());
        Assert.Equal(["b", "a"], doc.RootElement.GetProperty("kwargs").EnumerateObject().Select(p => p.Name).ToArray());
        Assert.DoesNotContain("\n", text);
        Assert.Contains("\"params\": [1, 2.5, null]", text);
    }

    [Fact]
    public void Nan_and_infinity_results_from_a_python_daemon_are_read()
    {
        // probe_nan_inf_results_json: the daemon returned float('nan') and float('inf') with json.
        var results = VectorMessages.WithSerializer(2)
            .Where(m => m.Vector == "probe_nan_inf_results_json" && m.Type == VectorMessage.MsgResult)
            .Select(m => (System.Text.Encoding.UTF8.GetString(m.Payload), Json.Deserialize(m.Payload)))
            .ToList();
        Assert.Contains(results, r => r.Item1 == "NaN" && r.Item2 is double d && double.IsNaN(d));
        Assert.Contains(results, r => r.Item1 == "Infinity" && r.Item2 is double d && double.IsPositiveInfinity(d));
    }
}
