namespace Warehouse;

/// <summary>The warehouse itself; one instance serves every client (Pyro's instance_mode "single").</summary>
public sealed class Warehouse(TextWriter log) : IWarehouse
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
        log.WriteLine($"{name} took the {item}.");
    }

    public void Store(string name, string item)
    {
        lock (_lock) _contents.Add(item);
        log.WriteLine($"{name} stored the {item}.");
    }
}
