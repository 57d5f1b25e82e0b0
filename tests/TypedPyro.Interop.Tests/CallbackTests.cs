using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using TypedPyro.Interop.Tests.Support;
using TypedPyro.Naming;

namespace TypedPyro.Interop.Tests;

/// <summary>The contracts of Pyro's callback example.</summary>
[Expose]
public interface ICallbackHandler
{
    [Oneway]
    [PyroName("done")]
    Task DoneAsync(int number);
}

/// <summary>A worker the server makes per request; it reports to the caller's callback when done.</summary>
[Expose]
public interface IWorker
{
    [Oneway]
    [PyroName("work")]
    Task WorkAsync(double amount);
}

/// <summary>The server: hands out workers bound to the caller's callback object.</summary>
[Expose]
public interface ICallbackServer
{
    [PyroName("addworker")]
    IWorker AddWorker(ICallbackHandler callback);
}

/// <summary>Collects the numbers of the workers that reported.</summary>
public sealed class CallbackHandler : ICallbackHandler
{
    public ConcurrentBag<int> Reports { get; } = [];

    public Task DoneAsync(int number)
    {
        Reports.Add(number);
        return Task.CompletedTask;
    }
}

/// <summary>The .NET twin of the example's server: registers each worker so it travels back as a proxy.</summary>
public sealed class CallbackServer(PyroDaemon daemon) : ICallbackServer
{
    private int _number;

    public IWorker AddWorker(ICallbackHandler callback)
    {
        var worker = new Worker(Interlocked.Increment(ref _number), callback);
        daemon.Register<IWorker>(worker);
        return worker;
    }

    private sealed class Worker(int number, ICallbackHandler callback) : IWorker
    {
        public async Task WorkAsync(double amount)
        {
            await Task.Delay(TimeSpan.FromSeconds(amount));
            await callback.DoneAsync(number); // a call back into the client, through the proxy the argument became
        }
    }
}

/// <summary>Pyro's callback example: objects passed by reference, typed, in both directions and with Python.</summary>
public sealed class CallbackTests
{
    private const string Examples = "/usr/share/doc/pyro4/examples/callback";

    private static int FreePort()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }

    private static async Task WaitFor(Func<bool> condition, int seconds = 20)
    {
        for (int i = 0; i < seconds * 20 && !condition(); i++) await Task.Delay(50);
        Assert.True(condition());
    }

    [Fact]
    public async Task Dotnet_callback_objects_travel_as_proxies_between_dotnet_peers()
    {
        await using var serverDaemon = new PyroDaemon(new PyroDaemonOptions { Host = "127.0.0.1" });
        var serverUri = serverDaemon.Register<ICallbackServer>(new CallbackServer(serverDaemon), "example.callback");
        serverDaemon.Start();

        await using var clientDaemon = new PyroDaemon(new PyroDaemonOptions { Host = "127.0.0.1" });
        var handler = new CallbackHandler();
        clientDaemon.Register<ICallbackHandler>(handler);
        clientDaemon.Start();

        var server = Pyro.Proxy<ICallbackServer>(serverUri);
        var workers = Enumerable.Range(0, 3).Select(_ => server.AddWorker(handler)).ToList();
        Assert.All(workers, w => Assert.IsAssignableFrom<IPyroProxy>(w));
        foreach (var worker in workers) await worker.WorkAsync(0.05);
        await WaitFor(() => handler.Reports.Count == 3);
        Assert.Equal([1, 2, 3], handler.Reports.Order());
        foreach (var w in workers) Pyro.Release(w);
        Pyro.Release(server);
    }

    [Fact]
    public async Task Unregistered_objects_cannot_be_passed_by_reference()
    {
        await using var serverDaemon = new PyroDaemon(new PyroDaemonOptions { Host = "127.0.0.1" });
        var serverUri = serverDaemon.Register<ICallbackServer>(new CallbackServer(serverDaemon), "example.callback");
        serverDaemon.Start();
        var server = Pyro.Proxy<ICallbackServer>(serverUri);
        var e = Assert.ThrowsAny<PyroException>(() => server.AddWorker(new CallbackHandler()));
        Assert.Contains("cannot serialize", e.Message);
        Pyro.Release(server);
    }

    [Fact]
    public async Task Dotnet_client_against_the_python_callback_example_server()
    {
        int nsPort = FreePort();
        await using var ns = PythonPeer.Start("-m", "Pyro4.naming", "-n", "127.0.0.1", "-p", nsPort.ToString(), "-x");
        await ns.WaitForAsync(@"^URI = (\S+)");
        var script = $"import os, sys, Pyro4; Pyro4.config.NS_HOST='127.0.0.1'; Pyro4.config.NS_PORT={nsPort}; Pyro4.config.HOST='127.0.0.1'; exec(open('{Examples}/server.py').read())";
        await using var python = PythonPeer.Start("-c", script);
        await python.WaitForAsync(@"(Pyro daemon running)");

        await using var clientDaemon = new PyroDaemon(new PyroDaemonOptions { Host = "127.0.0.1" });
        var handler = new CallbackHandler();
        clientDaemon.Register<ICallbackHandler>(handler);
        clientDaemon.Start();

        var server = Pyro.Proxy<ICallbackServer>($"PYRONAME:example.callback@127.0.0.1:{nsPort}");
        for (int i = 0; i < 3; i++) await server.AddWorker(handler).WorkAsync(0.1);
        await WaitFor(() => handler.Reports.Count == 3);
        Assert.Equal([1, 2, 3], handler.Reports.Order());
        Pyro.Release(server);
    }

    [Fact]
    public async Task Python_callback_example_client_against_a_dotnet_server()
    {
        int nsPort = FreePort();
        await using var nameServer = NameServerHost.Create(new NameServerHostOptions { Host = "127.0.0.1", Port = nsPort, EnableBroadcast = false });
        nameServer.Start();
        await using var serverDaemon = new PyroDaemon(new PyroDaemonOptions { Host = "127.0.0.1" });
        var serverUri = serverDaemon.Register<ICallbackServer>(new CallbackServer(serverDaemon), "example.callback");
        serverDaemon.Start();
        await using (var nsClient = new NameServerClient(nameServer.Uri))
        {
            await nsClient.RegisterAsync("example.callback", serverUri);
        }

        // The example's own client, unchanged except for where it finds the name server and a shorter work time.
        var script = $"import random, Pyro4; Pyro4.config.NS_HOST='127.0.0.1'; Pyro4.config.NS_PORT={nsPort}; random.randint = lambda a, b: 0.2; exec(open('{Examples}/client.py').read())";
        var output = await PythonPeer.RunScriptAsync(script, timeout: TimeSpan.FromSeconds(60));
        for (int i = 1; i <= 5; i++) Assert.Contains($"callback: worker {i} reports work is done!", output);
        Assert.Contains("done!", output);
    }
}
