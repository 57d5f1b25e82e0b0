using System.Numerics;
using System.Text;
using CsCheck;
using TypedPyro.Serialization;
using TypedPyro.Tests.Serialization.Serpent;

namespace TypedPyro.Tests.Serialization;

/// <summary>
/// A daemon connection reads a serpent call's positional arguments into one reused <see cref="CallArguments"/>, ints
/// and floats unboxed: what it reads must be exactly what the ordinary parse gives, shape and errors included.
/// </summary>
public sealed class CallArgumentsTests
{
    private static PyroCall Read(string text, CallArguments? into)
        => PyroSerializers.Serpent.DeserializeCall(Encoding.UTF8.GetBytes(text), borrowBulkBytes: false, into);

    [Theory]
    [InlineData("('o', 'm', (), {})")]
    [InlineData("('o','m',(1,),{})")]
    [InlineData("('o','m',(1, -2, 3.5, -0.25, 1e300, 'x', None, True, [1, 2], (3,), {'a': 1}),{})")]
    [InlineData("('o','m',( 9223372036854775807 , -9223372036854775808 , 99999999999999999999 , 0x1f , 1_000 ),{})")]
    [InlineData("('o','m',(1+2j, -3.0-4j, 2j, - 5, +6, .5, 7.),{})")]
    [InlineData("('o','m',(0, -0, 0.0, -0.0, float('inf')),{})")]
    [InlineData("('o','m',(1,2,),{'k': 3})")]
    [InlineData("# serpent utf-8 python3.2\n('o','m',('hello worl',),{})")]
    [InlineData("('o','m',(\n  1 , # a comment\n  2\n),{})")]
    [InlineData("('o','m',[1, 2],{})")]
    [InlineData("('o','m',(1),{})")]
    [InlineData("('o','m',('x'),{})")]
    [InlineData("('o','m',((1, 2)),{})")]
    [InlineData("('o','m',None,None)")]
    public void Arguments_read_into_the_reused_list_equal_the_ordinary_read(string text)
    {
        PyroCall expected;
        try
        {
            expected = Read(text, into: null);
        }
        catch (SerializeException e)
        {
            // What the ordinary read refuses, the reused list refuses the same way.
            var again = Assert.Throws<SerializeException>(() => Read(text, new CallArguments()));
            Assert.Equal(e.Message, again.Message);
            return;
        }
        var arguments = new CallArguments();
        var call = Read(text, arguments);
        Assert.Equal((expected.ObjectId, expected.Method), (call.ObjectId, call.Method));
        Assert.Equal(expected.Args.Count, call.Args.Count);
        for (int i = 0; i < expected.Args.Count; i++)
        {
            Assert.Equal(expected.Args[i], call.Args[i], PyValueComparer.Instance);
            Assert.Equal(expected.Args[i]?.GetType(), call.Args[i]?.GetType());
        }
        Assert.Equal(expected.Kwargs?.Count, call.Kwargs?.Count);
    }

    [Theory]
    [InlineData("('o','m',(1, 2.5, 'x', 99999999999999999999),{})")]
    public void Plain_ints_and_floats_stay_unboxed_and_the_rest_are_values(string text)
    {
        var arguments = new CallArguments();
        var call = Read(text, arguments);
        Assert.Same(arguments, call.Args);
        Assert.True(arguments.TryGetInt64(0, out long integer));
        Assert.Equal(1, integer);
        Assert.False(arguments.TryGetDouble(0, out _));
        Assert.True(arguments.TryGetDouble(1, out double real));
        Assert.Equal(2.5, real);
        Assert.False(arguments.TryGetInt64(2, out _));
        Assert.Equal("x", arguments[2]);
        Assert.False(arguments.TryGetInt64(3, out _));
        Assert.Equal(BigInteger.Parse("99999999999999999999"), arguments[3]);
    }

    [Theory]
    [InlineData("('o','m',(1, 2",  "unterminated tuple")]
    [InlineData("('o','m',(1 2),{})", "expected ',' or ')' in tuple")]
    [InlineData("('o','m',(007,),{})", "leading zeros")]
    [InlineData("('o','m',(1.2.3,),{})", "malformed number")]
    [InlineData("('o','m',(12abc,),{})", "malformed number")]
    [InlineData("('o','m',(-,),{})", "a sign must be followed by a number")]
    public void Malformed_arguments_are_refused_as_the_ordinary_read_refuses_them(string text, string message)
    {
        var ordinary = Assert.Throws<SerializeException>(() => Read(text, into: null));
        var reused = Assert.Throws<SerializeException>(() => Read(text, new CallArguments()));
        Assert.Contains(message, ordinary.Message);
        Assert.Equal(ordinary.Message, reused.Message);
    }

    [Fact]
    public void Reuse_forgets_the_previous_call_and_a_tuple_of_its_own_outlives_it()
    {
        var arguments = new CallArguments();
        Read("('o','m',(1, 'two', 3.0, 4, 5),{})", arguments);
        var owned = BorrowedBytes.ToObjectModel(arguments);
        Assert.IsType<PyTuple>(owned);
        Read("('o','m',('next',),{})", arguments);
        Assert.Equal(["next"], arguments.ToArray());
        Assert.Equal([1L, "two", 3.0, 4L, 5L], owned.ToArray());
        arguments.Clear();
        Assert.Empty(arguments);
        Assert.Throws<ArgumentOutOfRangeException>(() => arguments[0]);
    }

    [Fact]
    public void Random_argument_tuples_read_the_same_both_ways()
    {
        var argument = Gen.OneOf(
            Gen.Long.Select(l => (object?)l),
            Gen.Int.Select(i => (object?)(long)i),
            Gen.Double.Select(d => (object?)d),
            SerpentGenerators.Text.Select(s => (object?)s),
            Gen.Bool.Select(b => (object?)b),
            Gen.Const((object?)null));
        argument.Array[0, 8].Sample(values =>
        {
            var buffer = new System.Buffers.ArrayBufferWriter<byte>();
            PyroSerializers.Serpent.SerializeCall(buffer, "obj", "method", new PyTuple(values), new Dictionary<string, object?>());
            var expected = PyroSerializers.Serpent.DeserializeCall(buffer.WrittenSpan);
            var call = PyroSerializers.Serpent.DeserializeCall(buffer.WrittenMemory, borrowBulkBytes: false, new CallArguments());
            Assert.Equal(expected.Args.Count, call.Args.Count);
            for (int i = 0; i < values.Length; i++)
            {
                Assert.Equal(expected.Args[i], call.Args[i], PyValueComparer.Instance);
                Assert.Equal(expected.Args[i]?.GetType(), call.Args[i]?.GetType());
            }
        });
    }

    [Fact]
    public void A_connection_s_calls_read_the_same_whether_their_head_is_remembered_or_parsed()
    {
        // One list for a sequence of calls, as a connection reads them: the head (text up to the arguments) of the
        // last call is remembered; each call must still read exactly as a fresh parse reads it.
        string[] calls =
        [
            "# serpent utf-8 python3.2\n('obj','note',('a',),{})",
            "# serpent utf-8 python3.2\n('obj','note',(1, 2.5),{})",
            "# serpent utf-8 python3.2\n('obj','note',   ('spaced',),{})",
            "# serpent utf-8 python3.2\n('obj','note',# a comment\n('commented',),{})",
            "# serpent utf-8 python3.2\n('obj','note',\\\n('joined',),{})",
            "# serpent utf-8 python3.2\n('obj','notes',('other method',),{})",
            "# serpent utf-8 python3.2\n('obj','note',('back',),{})",
            "# serpent utf-8 python3.2\n('obj2','note',('other object',),{})",
            "('obj2','note',('no header',),{})",
            "# serpent utf-8 python3.2\n('obj','note',(x),{})",
            "# serpent utf-8 python3.2\n('obj','note',('after an error',),{})",
            "# serpent utf-8 python3.2\n('obj','note',",
            "# serpent utf-8 python3.2\n('obj','note'",
            "# serpent utf-8 python3.2\n('obj','note',('last',),{})",
        ];
        var arguments = new CallArguments();
        foreach (string text in calls)
        {
            PyroCall expected;
            try
            {
                expected = Read(text, into: null);
            }
            catch (SerializeException e)
            {
                Assert.Equal(e.Message, Assert.Throws<SerializeException>(() => Read(text, arguments)).Message);
                continue;
            }
            var call = Read(text, arguments);
            Assert.Equal((expected.ObjectId, expected.Method), (call.ObjectId, call.Method));
            Assert.Equal(expected.Args.ToArray(), call.Args.ToArray());
            Assert.Equal(expected.Kwargs?.Count, call.Kwargs?.Count);
        }
    }

    [Fact]
    public void A_call_to_the_same_method_is_the_same_record_and_anything_else_is_a_new_one()
    {
        // Object id, method, the connection's list and the shared empty kwargs: nothing differs, so the record serves
        // again (the values it reads are the list's new ones).
        var arguments = new CallArguments();
        var first = Read("('obj','note',('a',),{})", arguments);
        var again = Read("('obj','note',('b', 2),{})", arguments);
        Assert.Same(first, again);
        Assert.Equal(["b", 2L], again.Args.ToArray());

        var otherMethod = Read("('obj','notes',('c',),{})", arguments);
        Assert.NotSame(first, otherMethod);
        Assert.Equal(("obj", "notes"), (otherMethod.ObjectId, otherMethod.Method));
        var otherObject = Read("('obj2','notes',('d',),{})", arguments);
        Assert.NotSame(otherMethod, otherObject);
        Assert.Equal("obj2", otherObject.ObjectId);

        var keywords = Read("('obj2','notes',('e',),{'k': 1})", arguments);
        Assert.NotSame(otherObject, keywords);
        Assert.Equal(1L, keywords.Kwargs!["k"]);
        var plainAgain = Read("('obj2','notes',('f',),{})", arguments);
        Assert.Same(otherObject, plainAgain);
        Assert.Empty(plainAgain.Kwargs!);

        // Arguments that are not a tuple are read on their own, into a record of their own.
        var list = Read("('obj2','notes',['g'],{})", arguments);
        Assert.NotSame(otherObject, list);
        Assert.IsNotType<CallArguments>(list.Args);
    }
}
