using TypedPyro.Generators.Parsing;

namespace TypedPyro.Generators.Tests;

/// <summary>The snake_case rule is part of the wire contract: these cases must never change.</summary>
public sealed class WireNameTests
{
    [Theory]
    [InlineData("GetStock", "get_stock")]
    [InlineData("HTTPServer", "http_server")]
    [InlineData("ListContents", "list_contents")]
    [InlineData("Item2Name", "item2_name")]
    [InlineData("IOStream", "io_stream")]
    [InlineData("getURL", "get_url")]
    [InlineData("URLPath2", "url_path2")]
    [InlineData("A", "a")]
    [InlineData("already_snake", "already_snake")]
    [InlineData("Get_Stock", "get_stock")]
    [InlineData("X2Y", "x2_y")]
    [InlineData("ABC", "abc")]
    [InlineData("ABCd", "ab_cd")]
    public void Snake_case(string name, string expected) => Assert.Equal(expected, WireNames.ToSnakeCase(name));

    [Theory]
    [InlineData("ListContentsAsync", "ListContents")]
    [InlineData("Async", "Async")]
    [InlineData("GetAsyncResult", "GetAsyncResult")]
    public void Async_suffix(string name, string expected) => Assert.Equal(expected, WireNames.DropAsyncSuffix(name));

    [Theory]
    [InlineData("IWarehouse", "Warehouse")]
    [InlineData("Interval", "Interval")]
    [InlineData("I", "I")]
    [InlineData("IO", "O")]
    public void Type_name_drops_the_interface_prefix(string name, string expected) => Assert.Equal(expected, ContractParser.TypeName(name));
}
