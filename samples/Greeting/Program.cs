// The smallest complete TypedPyro program: a daemon serving one object and a client calling it, in one process,
// over real loopback TCP with the Pyro4 wire protocol. (Typed [Expose] contracts arrive with the source generator;
// this version uses the untyped runtime API underneath them.)
using TypedPyro;

var greeter = new PyroObjectBuilder("Greeter")
    .Method("greet", call => $"Hello, {call.Arg(0, "name")}!")
    .Method("fail", _ => throw new ArgumentException("greeters don't fail... except this one"))
    .Build();

await using var daemon = new PyroDaemon(new PyroDaemonOptions { Host = "127.0.0.1" });
var uri = daemon.Register(greeter, "example.greeter");
daemon.Start();
Console.WriteLine($"daemon serving {uri}");

await using var proxy = new PyroProxy(uri);
Console.WriteLine(await proxy.InvokeAsync("greet", ["world"]));
try
{
    await proxy.InvokeAsync("fail");
}
catch (ArgumentException e)
{
    Console.WriteLine($"remote {e.GetRemoteException()!.RemoteTypeName}: {e.Message}");
}
Console.WriteLine($"Python can call it too: python3 -c \"import Pyro4; print(Pyro4.Proxy('{uri}').greet('python'))\"");
