// The smallest complete TypedPyro program, in one process over real loopback TCP and the Pyro4 wire protocol:
// a name server, a daemon serving a typed [Expose] contract registered by name, and a typed client that finds it
// through the name server. Python's Pyro4 can call the same object (the last line prints how).
using TypedPyro;
using TypedPyro.Naming;

await using var nameServer = NameServerHost.Create(new NameServerHostOptions { Host = "127.0.0.1", Port = 0, EnableBroadcast = false });
nameServer.Start();
Console.WriteLine($"name server: {nameServer.Uri}");

await using var daemon = new PyroDaemon(new PyroDaemonOptions { Host = "127.0.0.1" });
var uri = daemon.Register<IGreeter>(new Greeter(), "example.greeter");
daemon.Start();
await using (var ns = new NameServerClient(nameServer.Uri))
{
    await ns.RegisterAsync("example.greeter", uri);
}
Console.WriteLine($"daemon serving {uri}, registered as example.greeter");

var nsLocation = nameServer.Uri;
var greeter = Pyro.Proxy<IGreeter>($"PYRONAME:example.greeter@{nsLocation.Host}:{nsLocation.Port}");
try
{
    Console.WriteLine(greeter.Greet("world"));
    Console.WriteLine(await greeter.GreetManyAsync(["Ann", "Bob"]));
    Console.WriteLine($"greetings so far: {greeter.Count}");
    try
    {
        greeter.Greet("");
    }
    catch (ArgumentException e)
    {
        Console.WriteLine($"remote {e.GetRemoteException()!.RemoteTypeName}: {e.Message}");
    }
}
finally
{
    Pyro.Release(greeter);
}
Console.WriteLine($"Python can call it too: python3 -c \"import Pyro4; print(Pyro4.Proxy('{uri}').greet('python'))\"");

/// <summary>The contract: the source generator makes the proxy and the dispatcher at build time.</summary>
[Expose]
[PyroNaming(PyroNamingPolicy.SnakeCase)]
public interface IGreeter
{
    string Greet(string name);

    Task<string> GreetManyAsync(List<string> names, CancellationToken cancellationToken = default);

    int Count { get; }
}

internal sealed class Greeter : IGreeter
{
    private int _count;

    public string Greet(string name)
    {
        if (string.IsNullOrEmpty(name)) throw new ArgumentException("a greeting needs a name");
        Interlocked.Increment(ref _count);
        return $"Hello, {name}!";
    }

    public Task<string> GreetManyAsync(List<string> names, CancellationToken cancellationToken = default)
        => Task.FromResult(string.Join(" ", names.Select(Greet)));

    public int Count => _count;
}
