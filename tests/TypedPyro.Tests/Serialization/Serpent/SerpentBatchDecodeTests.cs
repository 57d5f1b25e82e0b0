using System.Text;
using TypedPyro.Serialization;

namespace TypedPyro.Tests.Serialization.Serpent;

/// <summary>
/// The daemon's serpent batch fast path (entries read straight into calls) against the generic reading of the same
/// bytes: the same calls, and the generic path whenever an entry has another shape.
/// </summary>
public sealed class SerpentBatchDecodeTests
{
    private static readonly SerpentSerializer Serpent = SerpentSerializer.Instance;

    private static PyroCall Decode(string payload)
        => Serpent.DeserializeCall(Encoding.UTF8.GetBytes(payload).AsMemory(), borrowBulkBytes: false, new CallArguments());

    /// <summary>The entries as the daemon interpreted them before the fast path: the generic value's 3-tuples.</summary>
    private static List<PyroCall> Generic(string payload)
    {
        var call = Serpent.DeserializeCall(Encoding.UTF8.GetBytes(payload));
        return [.. call.Args.Cast<IReadOnlyList<object?>>().Select(p => PyroSerializer.ToCallParts(call.ObjectId, p[0], p[1], p[2]))];
    }

    private static void AssertSameCalls(List<PyroCall> expected, IReadOnlyList<PyroCall> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (int i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i].ObjectId, actual[i].ObjectId);
            Assert.Equal(expected[i].Method, actual[i].Method);
            Assert.Equal(expected[i].Args, actual[i].Args);
            Assert.Equal(expected[i].Kwargs, actual[i].Kwargs);
        }
    }

    [Theory]
    // As Python's Pyro4 and this proxy write it, with odd spacing and a trailing comma, and empty.
    [InlineData("# serpent utf-8 python3.2\n('obj.1','<batch>',[('echo',('hello worl',),{}),('add',(1,2),{}),('none',(),{})],None)")]
    [InlineData("('obj.1', '<batch>', [ ( 'echo' , ( 'a' , [1, 2.5] ) , { } , ) , ], None)")]
    [InlineData("('obj.1','<batch>',[],None)")]
    public void Usual_entries_are_read_straight_into_the_generic_paths_calls(string payload)
    {
        var call = Decode(payload);
        Assert.Equal("<batch>", call.Method);
        Assert.Null(call.Kwargs);
        var batch = Assert.IsType<BatchCalls>(call.Args);
        AssertSameCalls(Generic(payload), batch.Calls);
        Assert.All(batch.Calls, c => Assert.Empty(c.Kwargs!));
    }

    [Theory]
    // Keyword arguments, a list for vargs, a parenthesized non-tuple, a 2-entry: the generic value, unchanged.
    [InlineData("('obj.1','<batch>',[('echo',('a',),{}),('add',(1,),{'b':5})],None)")]
    [InlineData("('obj.1','<batch>',[('echo',['a'],{})],None)")]
    [InlineData("('obj.1','<batch>',[('echo',('a'),{})],None)")]
    [InlineData("('obj.1','<batch>',[('echo',('a',))],None)")]
    public void Other_entries_take_the_generic_path(string payload)
    {
        var call = Decode(payload);
        Assert.IsNotType<BatchCalls>(call.Args);
        Assert.Equal(Serpent.DeserializeCall(Encoding.UTF8.GetBytes(payload)).Args, call.Args);
    }

    [Fact]
    public void A_call_of_another_method_is_not_read_as_a_batch()
    {
        var call = Decode("('obj.1','echo',[('echo',('a',),{})],None)");
        Assert.IsType<List<object?>>(call.Args);
    }

    [Fact]
    public void Truncated_batch_is_still_an_error()
    {
        Assert.Throws<SerializeException>(() => Decode("('obj.1','<batch>',[('echo',('a',),{}),"));
    }
}
