using Microsoft.Extensions.Logging;

namespace Warehouse;

/// <summary>The tutorial's warehouse, made by DI (a singleton: Pyro's instance_mode "single"), logging through ILogger.</summary>
public sealed class HostedWarehouse(ILogger<HostedWarehouse> logger) : IWarehouse
{
    private readonly List<string> _contents = ["chair", "bike", "flashlight", "laptop", "couch"];
    private readonly Lock _lock = new();

    public List<string> ListContents()
    {
        lock (_lock) return [.. _contents];
    }

    public void Take(string name, string item)
    {
        lock (_lock)
        {
            // Python's list.remove raises ValueError for a missing item; ArgumentException travels as ValueError.
            if (!_contents.Remove(item)) throw new ArgumentException("list.remove(x): x not in list");
        }
        logger.LogInformation("{Name} took the {Item}.", name, item);
    }

    public void Store(string name, string item)
    {
        lock (_lock) _contents.Add(item);
        logger.LogInformation("{Name} stored the {Item}.", name, item);
    }
}
