// Synchronous methods, properties, optional parameters as keywords, [PyroName] on a method and a parameter.
using System.Collections.Generic;
using TypedPyro;

namespace Example;

[Expose]
public interface IWarehouse
{
    int GetStock(string item);

    void Store(string name, string item);

    [PyroName("take_item")]
    string Take(string name, [PyroName("what")] string item);

    IReadOnlyList<string> List(string? prefix = null, int limit = 10);

    string Name { get; }

    int Capacity { get; set; }
}
