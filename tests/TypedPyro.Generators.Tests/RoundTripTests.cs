using System.Reflection;
using System.Runtime.CompilerServices;
using TypedPyro.Serialization;

namespace TypedPyro.Generators.Tests;

/// <summary>
/// Compiles <c>Cases/Types.cs</c> and <c>Cases/RoundTrip.cs</c> with the generated code, loads the assembly, and runs
/// its scenarios: typed proxies calling a daemon over loopback for every supported member shape and type, and
/// generated dispatchers called in process.
/// </summary>
public sealed class RoundTripTests
{
    private static readonly Lazy<Type> Scenarios = new(() =>
    {
        var generated = GeneratorHarness.Run(GeneratorHarness.Case("Types.cs"), GeneratorHarness.Case("RoundTrip.cs"));
        return GeneratorHarness.Load(generated.Output).GetType("RoundTrip.Scenarios", throwOnError: true)!;
    });

    private static Task<T> Call<T>(string name, params object?[] args)
        // Off the test's synchronization context: the synchronous proxy members block on the connection.
        => Task.Run(() => (Task<T>)Scenarios.Value.GetMethod(name, BindingFlags.Public | BindingFlags.Static)!.Invoke(null, args)!);

    private static PyroCallContext Context() => (PyroCallContext)RuntimeHelpers.GetUninitializedObject(typeof(PyroCallContext));

    /// <summary>Every type of the converter table, both ways; a serializer may refuse what its Python twin refuses.</summary>
    [Theory]
    [InlineData(SerializerId.Serpent, "")]
    // Python's json has no bytes, time, timedelta or complex, and turns int dict keys into strings.
    [InlineData(SerializerId.Json, "byte[];ReadOnlyMemory<byte>;ReadOnlyMemory<byte> bulk;Memory<byte> bulk;TimeOnly;TimeSpan;Complex;IDictionary;Dictionary<object, object?>")]
    // Pyro4's marshal serializer has no time or timedelta.
    [InlineData(SerializerId.Marshal, "TimeOnly;TimeSpan")]
    public async Task Every_supported_type_round_trips(SerializerId serializer, string refusedBySerializer)
    {
        var results = await Call<List<string>>("Types", serializer);
        Assert.Equal(58, results.Count);
        var failures = results.Where(line => !line.EndsWith(": ok", StringComparison.Ordinal)).ToList();
        var expected = refusedBySerializer.Split(';', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(
            failures.Select(f => f[..f.IndexOf(": ", StringComparison.Ordinal)]).SequenceEqual(expected),
            "unexpected results:\n" + string.Join("\n", failures));
    }

    [Fact]
    public async Task Every_member_shape_round_trips()
    {
        var results = await Call<List<string>>("Shop");
        string[] expected =
        [
            "label=the shop",
            "greet=hello bob",
            "stock=3",
            "stored=5",
            "describe=item:pen:10",
            "describe2=thing:pen:3",
            "count=1",
            "shout=HI",
            "touched=5",
            "logs=one,record:two",
            "numbers=0,1,4,9",
            "letters=a,b,c",
            "capacity=100",
            "capacity2=7/7",
            "owner=ann",
            "renamed=renamed x",
            "sum=6",
            "paint=Green,Blue",
            "defaults=2.5|1.25|x|null|null|00:00:00|0.5|1099511627776",
            "defaults2=1|2|y|n|Red|00:00:03|0.25|5",
            "shadow=42",
            "reset=0",
            "fail=bad",
            "explode=worse",
            "wire get_stock=0",
            "wire describe=item:cup:3",
            "wire explicit=renamed kw",
            "wire capacity=7",
            "wire set owner=MissingMemberException: can't set attribute 'owner'",
            "wire bad arg=ArgumentTypeException: get_stock() argument 'item': expected str, got int",
            "wire csharp name=MissingMemberException",
            "methods=count,defaults,describe,explicit,explode,fail,get_stock,greet,letters,log,numbers,paint,record,reset,shadow,shout,store,sum,touch",
            "oneway=log,record",
            "attrs=capacity,label,owner",
        ];
        Assert.Equal(expected, results);
    }

    [Fact]
    public async Task Partly_exposed_and_nested_interfaces_round_trip()
    {
        var results = await Call<List<string>>("Partial");
        string[] expected =
        [
            "add=5",
            "ratio=0.25",
            "local=ICalculator.LocalOnly is not exposed ([Expose]) and cannot be called through a Pyro proxy",
            "mode=ICalculator.Mode is not exposed ([Expose]) and cannot be called through a Pyro proxy",
            "methods=Add attrs=Ratio",
            "inner=inside",
        ];
        Assert.Equal(expected, results);
    }

    [Theory]
    [InlineData("get_stock", new object?[] { "pen" }, null, "ok: 3")]
    [InlineData("get_stock", new object?[] { }, null, "ArgumentTypeException: get_stock() missing 1 required positional argument: 'item'")]
    [InlineData("get_stock", new object?[] { "pen", "ink" }, null, "ArgumentTypeException: get_stock() takes 1 positional argument but 2 were given")]
    [InlineData("get_stock", new object?[] { 5L }, null, "ArgumentTypeException: get_stock() argument 'item': expected str, got int")]
    [InlineData("store", new object?[] { "pen", "many" }, null, "ArgumentTypeException: store() argument 'quantity': expected int, got str")]
    [InlineData("store", new object?[] { "pen", 1L << 40 }, null, "OverflowException: store() argument 'quantity': Arithmetic operation resulted in an overflow.")]
    [InlineData("describe", new object?[] { "cup" }, "width", "ok: 'item:cup:7'")]
    [InlineData("describe", new object?[] { "cup" }, "depth", "ArgumentTypeException: describe() got an unexpected keyword argument 'depth'")]
    [InlineData("describe", new object?[] { "cup", "p", 1L }, "width", "ArgumentTypeException: describe() got multiple values for argument 'width'")]
    [InlineData("count", new object?[] { }, null, "ok: 1")]
    [InlineData("shout", new object?[] { "hey" }, null, "ok: 'HEY'")]
    [InlineData("touch", new object?[] { 2L }, null, "ok: null")]
    [InlineData("numbers", new object?[] { 3L }, null, "stream: [0, 1, 4]")]
    [InlineData("sum", new object?[] { 1L, new object?[] { 2L, 3L } }, null, "ok: 6")]
    [InlineData("paint", new object?[] { }, null, "ok: Green")]
    [InlineData("paint", new object?[] { 3L }, null, "ok: Blue")]
    [InlineData("fail", new object?[] { "boom" }, null, "InvalidOperationException: boom")]
    [InlineData("explode", new object?[] { "x" }, null, "ArgumentException: x")]
    [InlineData("no_such", new object?[] { }, null, "MissingMemberException: 'Shop' object has no attribute 'no_such'")]
    public async Task Dispatcher_binds_arguments_like_python(string method, object?[] args, string? keyword, string expected)
    {
        var kwargs = keyword is null ? null : new Dictionary<string, object?> { [keyword] = 7L };
        Assert.Equal(expected, await Call<string>("Dispatch", Context(), method, args, kwargs));
    }

    [Theory]
    [InlineData("capacity", 5L, "ok: 5")]
    [InlineData("capacity", "five", "ArgumentTypeException: expected int, got str")]
    [InlineData("owner", "bob", "MissingMemberException: can't set attribute 'owner'")]
    [InlineData("label", "x", "MissingMemberException: can't set attribute 'label'")]
    [InlineData("nothing", 1L, "MissingMemberException: 'Shop' object has no attribute 'nothing'")]
    public async Task Dispatcher_sets_attributes(string name, object? value, string expected)
        => Assert.Equal(expected, await Call<string>("SetAttribute", Context(), name, value));

    [Fact]
    public void Dispatcher_metadata_lists_wire_names()
        => Assert.Equal(
            "Shop methods=count,defaults,describe,explicit,explode,fail,get_stock,greet,letters,log,numbers,paint,record,reset,shadow,shout,store,sum,touch oneway=log,record attrs=capacity,label,owner",
            (string)Scenarios.Value.GetMethod("Metadata")!.Invoke(null, null)!);
}
