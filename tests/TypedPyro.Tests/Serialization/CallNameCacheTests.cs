using System.Text;
using TypedPyro.Serialization;

namespace TypedPyro.Tests.Serialization;

/// <summary>Object ids and method names of calls: reused strings, always the right ones.</summary>
public sealed class CallNameCacheTests
{
    [Fact]
    public void The_same_name_is_the_same_string_and_every_name_reads_right()
    {
        var first = CallNameCache.Get("Pyro.NameServer"u8);
        Assert.Equal("Pyro.NameServer", first);
        Assert.Same(first, CallNameCache.Get("Pyro.NameServer"u8));
        // Far more names than slots: collisions replace, never confuse.
        for (int i = 0; i < 5000; i++)
        {
            string name = "method_" + i;
            Assert.Equal(name, CallNameCache.Get(Encoding.ASCII.GetBytes(name)));
        }
    }

    [Fact]
    public void Names_stay_right_under_concurrent_use()
    {
        var failures = 0;
        var threads = Enumerable.Range(0, 4).Select(t => new Thread(() =>
        {
            for (int i = 0; i < 20_000; i++)
            {
                string name = "n" + ((i * 7 + t) % 600);
                if (CallNameCache.Get(Encoding.ASCII.GetBytes(name)) != name) Interlocked.Increment(ref failures);
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        Assert.Equal(0, failures);
    }

    [Theory]
    // Names the cache does not take are read as any string is: escapes, non-ASCII, empty, long, not a string at all.
    [InlineData("('obj', 'echo', (), {})", "obj", "echo")]
    [InlineData("(  'o\\'bj' , \"ech\\u00f6\" , (), {})", "o'bj", "echö")]
    [InlineData("('\u00e9t\u00e9', '', (), {})", "été", "")]
    [InlineData("('" + "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx" + "', 'm', [], {})", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "m")]
    public void Serpent_calls_read_their_names_exactly(string text, string objectId, string method)
    {
        var call = PyroSerializers.Serpent.DeserializeCall(Encoding.UTF8.GetBytes(text));
        Assert.Equal((objectId, method), (call.ObjectId, call.Method));
    }

    [Theory]
    [InlineData("{\"object\": \"obj\", \"method\": \"echo\", \"params\": [], \"kwargs\": {}}", "obj", "echo")]
    [InlineData("{\"object\": \"o\\\"bj\", \"method\": \"\\u00e9cho\", \"params\": [], \"kwargs\": {}}", "o\"bj", "écho")]
    [InlineData("{\"object\": \"\u00e9t\u00e9\", \"method\": \"\", \"params\": [], \"kwargs\": null}", "été", "")]
    public void Json_calls_read_their_names_exactly(string text, string objectId, string method)
    {
        var call = PyroSerializers.Json.DeserializeCall(Encoding.UTF8.GetBytes(text));
        Assert.Equal((objectId, method), (call.ObjectId, call.Method));
    }

    [Fact]
    public void A_call_naming_its_object_with_a_number_is_refused()
    {
        Assert.Throws<SerializeException>(() => PyroSerializers.Serpent.DeserializeCall("(1, 'm', (), {})"u8));
    }
}
