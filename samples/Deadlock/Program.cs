// Pyro's "deadlock" example (and its "circular" cousin), with typed contracts.
//
// A client calls the server's Process through a proxy; the server bounces the message back to the client's
// callback object; the callback calls the server again through THE SAME proxy, which is still busy with the first
// call (a proxy sends one call at a time and waits for its reply). Nobody can go on: a deadlock.
//
// Build time: analyzer TPY4001 sees that code serving IBounceBack calls IBouncer, and code serving IBouncer calls
// IBounceBack, with no [Oneway] link in between, and warns "IBounceBack -> IBouncer -> IBounceBack".
// Run time: COMMTIMEOUT turns the hang into a PyroTimeoutException. The real fix (Pyro's advice): never reuse a
// proxy in a callback; create a new one there (second run below), or make one link [Oneway].
//
// The typed proxies and dispatchers below are written by hand over the untyped runtime (PyroProxy,
// PyroObjectBuilder); the source generator will emit the same from the [Expose] interfaces.
using System.Diagnostics;
using TypedPyro;

namespace Deadlock;

/// <summary>The server's contract (Python's Bouncer on the server side).</summary>
[Expose]
public interface IBouncer
{
    List<string> Process(List<string> message);
}

/// <summary>The client's callback contract.</summary>
[Expose]
public interface IBounceBack
{
    List<string> Bounce(List<string> message);
}

/// <summary>Server side: passes the message on to the client's callback until it is long enough.</summary>
public sealed class Bouncer(Func<IBounceBack> callback) : IBouncer
{
    public List<string> Process(List<string> message)
    {
        if (message.Count >= 3) return ["complete at server"];
        message.Add("server");
        var result = callback().Bounce(message);
        result.Insert(0, "passed on from server");
        return result;
    }
}

/// <summary>Client side: bounces the message back to the server through the proxy it is given.</summary>
public sealed class BounceBack(Func<IBouncer> server) : IBounceBack
{
    public List<string> Bounce(List<string> message)
    {
        message.Add("client");
        // TPY4001 is reported here: this call closes the circle IBounceBack -> IBouncer -> IBounceBack.
        // The sample exists to show that circle, so the warning is suppressed for this one call; real code should
        // break the circle instead ([Oneway] on one link, or a new proxy per callback and a COMMTIMEOUT).
#pragma warning disable TPY4001
        var result = server().Process(message);
#pragma warning restore TPY4001
        result.Insert(0, "passed on from client");
        return result;
    }
}

/// <summary>The fix: a callback that makes a new proxy of its own for every call, and releases it.</summary>
public sealed class FreshProxyBounceBack(PyroUri serverUri, PyroProxyOptions options) : IBounceBack
{
    public List<string> Bounce(List<string> message)
    {
        message.Add("client");
        using var proxy = new PyroProxy(serverUri, options);
        IBouncer server = new BouncerProxy(proxy);
        var result = server.Process(message);
        result.Insert(0, "passed on from client");
        return result;
    }
}

/// <summary>What the generator will emit: IBouncer over a PyroProxy.</summary>
public sealed class BouncerProxy(PyroProxy proxy) : IBouncer
{
    public List<string> Process(List<string> message) => Wire.ToStrings(proxy.Invoke("process", message));
}

/// <summary>What the generator will emit: IBounceBack over a PyroProxy.</summary>
public sealed class BounceBackProxy(PyroProxy proxy) : IBounceBack
{
    public List<string> Bounce(List<string> message) => Wire.ToStrings(proxy.Invoke("bounce", message));
}

internal static class Wire
{
    public static List<string> ToStrings(object? value)
        => value is IEnumerable<object?> items ? [.. items.Select(item => (string)item!)] : throw new InvalidCastException($"expected a list, got {value}");
}

internal static class Program
{
    /// <summary>The client's callback object the client daemon serves (run 1: the deadlocking one; run 2: the fix).</summary>
    private static volatile IBounceBack? s_callback;

    private static async Task<int> Main()
    {
        // COMMTIMEOUT: every call of these proxies gives up after 2 seconds instead of waiting forever.
        var config = PyroConfig.Default.With(c => c.CommTimeout = TimeSpan.FromSeconds(2));
        var options = new PyroProxyOptions { Config = config };

        await using var serverDaemon = new PyroDaemon(new PyroDaemonOptions { Host = "127.0.0.1", Config = config });
        await using var clientDaemon = new PyroDaemon(new PyroDaemonOptions { Host = "127.0.0.1", Config = config });

        // The client's callback object, served by the client's daemon.
        var callbackUri = clientDaemon.Register(new PyroObjectBuilder("BounceBack")
            .Method("bounce", call => s_callback!.Bounce(Wire.ToStrings(call.Arg(0, "message"))))
            .Build(), "example.bounceback");

        // The server, which calls the client's callback through a proxy of its own.
        await using var callbackProxy = new PyroProxy(callbackUri, options);
        var bouncer = new Bouncer(() => new BounceBackProxy(callbackProxy));
        var serverUri = serverDaemon.Register(new PyroObjectBuilder("Bouncer")
            .Method("process", call => bouncer.Process(Wire.ToStrings(call.Arg(0, "message"))))
            .Build(), "example.deadlock");
        serverDaemon.Start();
        clientDaemon.Start();

        // The client's proxy of the server.
        await using var serverProxy = new PyroProxy(serverUri, options);
        IBouncer server = new BouncerProxy(serverProxy);

        // Run 1, Pyro's deadlock: the callback reuses the client's own server proxy, which is busy with the first call.
        s_callback = new BounceBack(() => server);
        Console.WriteLine("Run 1: the callback reuses the busy proxy (Pyro's deadlock example)...");
        var watch = Stopwatch.StartNew();
        bool timedOut = false;
        try
        {
            var result = server.Process(["hello"]);
            Console.WriteLine($"  unexpected result: {string.Join(" | ", result)}");
        }
        catch (PyroTimeoutException e)
        {
            timedOut = true;
            Console.WriteLine($"  {e.GetType().Name} after {watch.Elapsed.TotalSeconds:0.0} s ({e.Message}): COMMTIMEOUT broke the deadlock");
        }
        await Task.Delay(TimeSpan.FromSeconds(1)); // lets the abandoned callback chain unwind

        // Run 2, Pyro's advice: never reuse proxies in callbacks; the callback makes a new one.
        s_callback = new FreshProxyBounceBack(serverUri, options);
        Console.WriteLine("Run 2: the callback makes a new proxy of its own...");
        var completed = server.Process(["hello"]);
        Console.WriteLine($"  result: {string.Join(" | ", completed)}");

        return timedOut && completed.Count > 0 ? 0 : 1;
    }
}
