using TypedPyro;

namespace Warehouse;

/// <summary>
/// The Pyro tutorial's warehouse (pyro4-examples, warehouse phase 3) as a typed contract. SnakeCase makes the wire
/// names those of the Python tutorial (<c>list_contents</c>, <c>take</c>, <c>store</c>), so its Python client works
/// against this C# server unchanged.
/// </summary>
[Expose]
[PyroNaming(PyroNamingPolicy.SnakeCase)]
public interface IWarehouse
{
    List<string> ListContents();

    void Take(string name, string item);

    void Store(string name, string item);
}
