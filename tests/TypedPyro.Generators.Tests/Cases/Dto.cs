// [PyroDto] records, classes and structs, used by a contract (lists, dictionaries, nullables of them).
using System.Collections.Generic;
using TypedPyro;

namespace Example.Shop;

[PyroDto("shop.Item")]
public partial record Item(string Name, int Quantity, double Price = 1.5)
{
    public List<string> Tags { get; init; } = new();

    public string? Note { get; set; }
}

[PyroDto("shop.Order")]
public sealed partial class Order
{
    public required string Customer { get; init; }

    [PyroName("lines")]
    public List<Item> Items { get; set; } = new();

    public int Total => Items.Count;
}

[PyroDto("shop.Point")]
public readonly partial record struct Point(int X, int Y);

[PyroDto("shop.Size")]
public partial struct Size
{
    public int Width { get; set; }

    public int Height { get; set; }
}

[Expose]
public interface IShop
{
    Item Find(string name);

    Item? TryFind(string name);

    List<Item> All();

    Dictionary<string, Item> ByName();

    void Place(Order order);

    Point? Locate(Point origin, Size? size = null);
}
