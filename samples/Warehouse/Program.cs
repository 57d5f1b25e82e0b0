// The Pyro tutorial's warehouse, phase 3, in C#.
//   dotnet run --project samples/Warehouse -- server [--ns HOST:PORT]   serve it (and register it in a name server)
//   dotnet run --project samples/Warehouse -- visit URI                  the tutorial's visit, typed, non-interactive
// The Python tutorial client (/usr/share/doc/pyro4/examples/warehouse/phase3/visit.py) works against the server too.
using TypedPyro;
using Warehouse;

if (args.Length >= 1 && args[0] == "server")
{
    await using var daemon = new PyroDaemon(new PyroDaemonOptions { Host = "127.0.0.1" });
    var uri = daemon.Register<IWarehouse>(new Warehouse.Warehouse(Console.Out), "example.warehouse");
    if (args.Length >= 3 && args[1] == "--ns")
    {
        // Register by name with any Pyro4 name server (Python's pyro4-ns or typedpyro ns).
        await using var ns = new PyroProxy($"PYRO:{PyroNames.NameServerObjectId}@{args[2]}");
        await ns.InvokeAsync("register", ["example.warehouse", uri.ToString()]);
        Console.WriteLine("registered as example.warehouse");
    }
    Console.WriteLine($"warehouse uri: {uri}");
    await daemon.RunAsync();
    return 0;
}

if (args.Length >= 2 && args[0] == "visit")
{
    var warehouse = Pyro.Proxy<IWarehouse>(args[1]);
    try
    {
        foreach (var (person, store, take) in new[] { ("Janet", "lamp", "bike"), ("Henry", "guitar", "laptop") })
        {
            Console.WriteLine($"This is {person}.");
            Console.WriteLine($"The warehouse contains: {string.Join(", ", warehouse.ListContents())}");
            warehouse.Store(person, store);
            warehouse.Take(person, take);
            Console.WriteLine("Thank you, come again!");
        }
        Console.WriteLine($"The warehouse contains: {string.Join(", ", warehouse.ListContents())}");
    }
    finally
    {
        Pyro.Release(warehouse);
    }
    return 0;
}

Console.Error.WriteLine("usage: Warehouse server [--ns HOST:PORT] | Warehouse visit URI");
return 2;
