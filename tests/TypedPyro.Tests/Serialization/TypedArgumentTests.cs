using System.Buffers;
using System.Text;
using CsCheck;
using TypedPyro.Serialization;
using TypedPyro.Tests.Serialization.Serpent;

namespace TypedPyro.Tests.Serialization;

/// <summary>
/// The typed call writer (what generated proxies use) must produce exactly the bytes of the object-model call writer
/// for the same arguments, for every serializer, and refuse exactly what it refuses.
/// </summary>
public class TypedArgumentTests
{
    private static readonly IReadOnlyDictionary<string, object?> NoKeywords = new Dictionary<string, object?>();

    /// <summary>Arguments written the way a generated struct writes them: by the static type of each value.</summary>
    private readonly struct MixedArguments(object?[] values) : IPyroArguments
    {
        public int Count => values.Length;

        public void WriteTo(PyroArgumentWriter writer)
        {
            foreach (var value in values)
            {
                switch (value)
                {
                    case string s: writer.WriteString(s); break;
                    case long l: writer.WriteInt64(l); break;
                    case int i: writer.WriteInt64(i); break;
                    case double d: writer.WriteDouble(d); break;
                    case bool b: writer.WriteBoolean(b); break;
                    case NullString: writer.WriteString(null); break;
                    default: writer.WriteValue(value); break;
                }
            }
        }

        public PyTuple ToTuple() => new([.. values.Select(v => v is NullString ? null : v)]);
    }

    /// <summary>Stands for a null passed as a string parameter (written with WriteString(null)).</summary>
    private sealed class NullString;

    private static readonly Gen<object?> Argument = Gen.Frequency(
        (4, SerpentGenerators.Text.Select(s => (object?)s)),
        (2, Gen.Long.Select(l => (object?)l)),
        (2, Gen.Int.Select(i => (object?)i)),
        (2, SerpentGenerators.Double.Select(d => (object?)d)),
        (1, Gen.Bool.Select(b => (object?)b)),
        (1, Gen.Const((object?)new NullString())),
        (2, SerpentGenerators.Value(2)));

    public static TheoryData<string> Serializers => new() { "serpent", "json", "marshal", "msgpack" };

    [Theory]
    [MemberData(nameof(Serializers))]
    public void Typed_calls_are_byte_identical_to_object_model_calls(string name)
    {
        var serializer = PyroSerializers.ForName(name);
        Argument.Array[0, 5].Sample(values =>
        {
            var args = new MixedArguments(values);
            var typed = Write(() => { var b = new ArrayBufferWriter<byte>(); serializer.SerializeCall(b, "obj.id", "method_name", args); return b.WrittenSpan.ToArray(); });
            var untyped = Write(() => { var b = new ArrayBufferWriter<byte>(); serializer.SerializeCall(b, "obj.id", "method_name", args.ToTuple(), NoKeywords); return b.WrittenSpan.ToArray(); });
            Assert.Equal(untyped.Error, typed.Error);
            if (typed.Bytes is not null) Assert.Equal(Encoding.UTF8.GetString(untyped.Bytes!), Encoding.UTF8.GetString(typed.Bytes));
        }, iter: 2000, print: v => PythonRepr.Format(new PyTuple(v)));
    }

    [Fact]
    public void Serpent_call_heads_remembered_per_thread_are_the_right_ones()
    {
        // The typed writer copies the head of the thread's last call when object and method are the same strings;
        // alternating objects and methods (some with characters that need escaping) must each get their own head.
        // Each step keeps or changes the object and the method: repeat, new method, new object, both, and equal
        // text in another string instance.
        (string Object, string Method)[] calls =
        [
            ("obj.id", "note"), ("obj.id", "note"), ("obj.id", "echo"), ("other", "echo"), ("other", "echo"),
            ("quote'd", "m\u00e9thode"), ("obj.id", "m\u00e9thode"), ("obj.id", "note"), ("other", "note"),
            (new string("other".AsSpan()), "note"), ("other", new string("note".AsSpan())), ("obj.id", "note"),
        ];
        for (int i = 0; i < calls.Length; i++)
        {
            var (objectId, method) = calls[i];
            var args = new MixedArguments([i, "x"]);
            var typed = new ArrayBufferWriter<byte>();
            PyroSerializers.Serpent.SerializeCall(typed, objectId, method, args);
            var untyped = new ArrayBufferWriter<byte>();
            PyroSerializers.Serpent.SerializeCall(untyped, objectId, method, args.ToTuple(), NoKeywords);
            Assert.Equal(Encoding.UTF8.GetString(untyped.WrittenSpan), Encoding.UTF8.GetString(typed.WrittenSpan));
        }
    }

    [Fact]
    public void A_single_argument_is_a_one_tuple_and_none_an_empty_one()
    {
        var serpent = SerpentSerializer.Instance;
        var one = new ArrayBufferWriter<byte>();
        serpent.SerializeCall(one, "o", "m", new MixedArguments(["x"]));
        Assert.EndsWith("('o','m',('x',),{})", Encoding.UTF8.GetString(one.WrittenSpan));
        var none = new ArrayBufferWriter<byte>();
        serpent.SerializeCall(none, "o", "m", new NoArguments());
        Assert.EndsWith("('o','m',(),{})", Encoding.UTF8.GetString(none.WrittenSpan));
        var json = new ArrayBufferWriter<byte>();
        PyroJsonSerializer.Instance.SerializeCall(json, "o", "m", new MixedArguments([1L, true, 2.5]));
        Assert.Equal("""{"object": "o", "method": "m", "params": [1, true, 2.5], "kwargs": {}}""", Encoding.UTF8.GetString(json.WrittenSpan));
    }

    [Fact]
    public void A_typed_call_reads_back_as_the_call()
    {
        foreach (var serializer in new PyroSerializer[] { SerpentSerializer.Instance, PyroJsonSerializer.Instance })
        {
            var buffer = new ArrayBufferWriter<byte>();
            serializer.SerializeCall(buffer, "echo", "Echo", new MixedArguments(["hi", 42L, null]));
            var call = serializer.DeserializeCall(buffer.WrittenSpan);
            Assert.Equal(("echo", "Echo"), (call.ObjectId, call.Method));
            Assert.Equal(new object?[] { "hi", 42L, null }, call.Args);
            Assert.NotNull(call.Kwargs);
            Assert.Empty(call.Kwargs!);
        }
    }

    private static (byte[]? Bytes, string? Error) Write(Func<byte[]> write)
    {
        try
        {
            return (write(), null);
        }
        catch (SerializeException e)
        {
            return (null, e.GetType().Name);
        }
    }
}
