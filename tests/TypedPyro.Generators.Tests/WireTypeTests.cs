using Microsoft.CodeAnalysis;
using TypedPyro.Generators.Parsing;

namespace TypedPyro.Generators.Tests;

/// <summary>The exposure manifest's wire types: the Python type a peer receives, and what it stands for.</summary>
public sealed class WireTypeTests
{
    [Theory]
    [InlineData("int", "int")]
    [InlineData("long?", "int | None")]
    [InlineData("string", "str")]
    [InlineData("string?", "str | None")]
    [InlineData("double", "float")]
    [InlineData("bool", "bool")]
    [InlineData("byte[]", "bytes")]
    [InlineData("System.ReadOnlyMemory<byte>", "bytes")]
    [InlineData("decimal", "str (decimal)")]
    [InlineData("System.DateTime", "str (datetime)")]
    [InlineData("System.DateTimeOffset", "str (datetime)")]
    [InlineData("System.DateOnly", "str (date)")]
    [InlineData("System.TimeOnly", "str (time)")]
    [InlineData("System.Guid", "str (uuid)")]
    [InlineData("System.TimeSpan", "float (timedelta seconds)")]
    [InlineData("System.Numerics.BigInteger", "int")]
    [InlineData("System.Numerics.Complex", "complex")]
    [InlineData("Color", "int (enum Color)")]
    [InlineData("object?", "object")]
    [InlineData("int[]", "list[int]")]
    [InlineData("List<string?>", "list[str | None]")]
    [InlineData("HashSet<int>", "set[int]")]
    [InlineData("Dictionary<string, List<double>>", "dict[str, list[float]]")]
    [InlineData("IEnumerable<int>", "iterator[int]")]
    [InlineData("TypedPyro.Serialization.PyTuple", "tuple")]
    [InlineData("TypedPyro.PyroUri", "PyroURI")]
    [InlineData("Point", "dict (class geo.Point)")]
    [InlineData("ICallback", "proxy (ICallback)")]
    public void Types_are_described_as_the_python_peer_receives_them(string declared, string expected)
    {
        var compilation = GeneratorHarness.Compilation($$"""
            using System.Collections.Generic;
            using TypedPyro;
            public enum Color { Red }
            [PyroDto("geo.Point")] public partial record Point(int X, int Y);
            [Expose] public interface ICallback { void Done(); }
            public interface IHolder { {{declared}} Value { get; } }
            """);
        var holder = compilation.GetTypeByMetadataName("IHolder")!;
        var property = (IPropertySymbol)holder.GetMembers("Value").Single();
        Assert.Equal(expected, WireTypes.Of(property.Type));
    }

    [Fact]
    public void No_type_is_none()
    {
        Assert.Equal("None", WireTypes.Of(null));
    }
}
