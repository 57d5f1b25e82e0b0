using TypedPyro.Serialization;

namespace TypedPyro.Tests.Client;

/// <summary>
/// The batch reply as the proxy reads it (issue 24 pins it before the no-copy path): every result in order, or the
/// results before the failed call and that call's exception; the same for every list the serializers make.
/// </summary>
public sealed class BatchResultsTests
{
    private static Dictionary<object, object?> Wrapper(Exception e) => new()
    {
        ["__class__"] = "Pyro4.futures._ExceptionWrapper",
        ["exception"] = PyroExceptionMapping.ToWireValue(e),
    };

    public static TheoryData<string> Shapes => ["list", "tuple", "array"];

    private static object Shape(string shape, object?[] items) => shape switch
    {
        "list" => new List<object?>(items),
        "tuple" => new PyTuple(items),
        _ => items,
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Every_result_in_order_when_no_call_failed(string shape)
    {
        var results = PyroBatchResults.FromWire(Shape(shape, ["a", 3L, null, new Dictionary<object, object?> { ["__class__"] = "x" }]));
        Assert.Null(results.Error);
        Assert.Equal(4, results.Results.Count);
        Assert.Equal(["a", 3L, null], results.Results.Take(3));
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Results_stop_at_the_failed_call_with_its_exception(string shape)
    {
        var results = PyroBatchResults.FromWire(Shape(shape, [1L, 2L, Wrapper(new ArgumentException("boom")), 4L]));
        Assert.Equal([1L, 2L], results.Results);
        Assert.Contains("boom", Assert.IsAssignableFrom<Exception>(results.Error).Message);
        Assert.ThrowsAny<Exception>(() => results.Values.ToList());
    }

    [Fact]
    public void A_failed_first_call_leaves_no_results()
    {
        var results = PyroBatchResults.FromWire(new List<object?> { Wrapper(new InvalidOperationException("first")) });
        Assert.Empty(results.Results);
        Assert.NotNull(results.Error);
    }

    [Fact]
    public void A_reply_that_is_not_a_list_is_a_protocol_error()
        => Assert.Throws<ProtocolException>(() => PyroBatchResults.FromWire(42L));
}
