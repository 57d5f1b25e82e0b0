namespace TypedPyro.Tests.Server.Pyro5;

/// <summary>An object a client passes by reference, for the server to call back.</summary>
[Expose]
public interface ICallbackTarget
{
    string Hello(string from);
}

/// <summary>A server that calls back the object it is given and says over which protocol it did.</summary>
[Expose]
public interface ICallbackProbe
{
    string CallBack(ICallbackTarget target);
}

internal sealed class CallbackTarget : ICallbackTarget
{
    public string Hello(string from) => "hello from " + from;
}

internal sealed class CallbackProbe : ICallbackProbe
{
    public string CallBack(ICallbackTarget target)
    {
        var answer = target.Hello("the server");
        int protocol = ((IPyroProxy)target).Connection.Protocol;
        ((IDisposable)target).Dispose();
        return $"{answer} over Pyro{protocol}";
    }
}

/// <summary>
/// Callbacks: an object a Pyro5 client passes by reference lives in that client's Pyro5 daemon, so the server's proxy
/// of it speaks Pyro5 (and a Pyro4 client's, Pyro4), with no options given.
/// </summary>
public sealed class Pyro5CallbackTests
{
    [Theory]
    [InlineData(4)]
    [InlineData(5)]
    public async Task The_server_calls_back_in_the_protocol_the_client_spoke(int protocol)
    {
        await using var server = new PyroDaemon(new PyroDaemonOptions { Host = "127.0.0.1" });
        var probeUri = server.Register<ICallbackProbe>(new CallbackProbe(), "probe");
        server.Start();
        await using var client = new PyroDaemon(new PyroDaemonOptions { Host = "127.0.0.1" });
        var target = new CallbackTarget();
        client.Register<ICallbackTarget>(target, "target");
        client.Start();

        var probe = Pyro.Proxy<ICallbackProbe>(probeUri, new PyroProxyOptions { Protocol = protocol, Timeout = TimeSpan.FromSeconds(30) });
        using var _ = (IDisposable)probe;
        Assert.Equal($"hello from the server over Pyro{protocol}", probe.CallBack(target));
    }
}
