using System.Text;
using TypedPyro.Interop.Tests.Support;

namespace TypedPyro.Interop.Tests;

/// <summary>Annotations and correlation ids between .NET and Python, both directions.</summary>
public sealed class CallContextInteropTests
{
    private const string PythonServer = """
        import Pyro4
        @Pyro4.expose
        class Ctx(object):
            def info(self):
                ctx = Pyro4.current_context
                ctx.response_annotations = {"RESP": b"from python"}
                return {"corr": str(ctx.correlation_id),
                        "ann": dict((k, v.decode()) for k, v in ctx.annotations.items() if k != "CORR")}
        d = Pyro4.Daemon(host="127.0.0.1")
        print("uri: " + str(d.register(Ctx(), "ctx")), flush=True)
        d.requestLoop()
        """;

    [Fact]
    public async Task Dotnet_proxy_annotations_and_correlation_reach_python_and_come_back()
    {
        await using var python = PythonPeer.Start("-c", PythonServer);
        var uri = await python.WaitForAsync(@"^uri: (\S+)");
        await using var proxy = new PyroProxy(uri);
        proxy.Annotations["XTRA"] = Encoding.ASCII.GetBytes("from dotnet");
        var id = Guid.NewGuid();
        object? result;
        using (PyroCorrelation.Begin(id)) result = await proxy.InvokeAsync("info");
        var map = (Dictionary<object, object?>)result!;
        Assert.Equal(id.ToString(), map["corr"]);
        Assert.Equal("from dotnet", ((Dictionary<object, object?>)map["ann"]!)["XTRA"]);
        Assert.Contains(proxy.ResponseAnnotations, a => a.Key == "RESP" && Encoding.ASCII.GetString(a.Value.Span) == "from python");
    }

    [Fact]
    public async Task Python_proxy_annotations_and_correlation_reach_dotnet_and_come_back()
    {
        await using var daemon = new PyroDaemon(new PyroDaemonOptions { Host = "127.0.0.1" });
        var uri = daemon.Register(new PyroObjectBuilder("Ctx").Method("info", call =>
        {
            call.Context.ResponseAnnotations["RESP"] = Encoding.ASCII.GetBytes("from dotnet");
            return new Dictionary<object, object?>
            {
                ["corr"] = call.Context.CorrelationId.ToString(),
                ["xtra"] = Encoding.ASCII.GetString(call.Context.UserAnnotations["XTRA"].Span),
            };
        }).Build(), "ctx");
        daemon.Start();
        var script = $$"""
            import uuid, Pyro4
            class P(Pyro4.Proxy):
                def _pyroAnnotations(self):
                    return {"XTRA": b"from python"}
                def _pyroResponseAnnotations(self, annotations, msgtype):
                    if "RESP" in annotations:
                        print("resp:" + annotations["RESP"].decode())
            Pyro4.current_context.correlation_id = uuid.UUID("7f3e9a52-1c4b-4d8e-9f60-a1b2c3d4e5f6")
            r = P('{{uri}}').info()
            print("corr:" + r["corr"])
            print("xtra:" + r["xtra"])
            """;
        var output = await PythonPeer.RunScriptAsync(script);
        Assert.Contains("corr:7f3e9a52-1c4b-4d8e-9f60-a1b2c3d4e5f6", output);
        Assert.Contains("xtra:from python", output);
        Assert.Contains("resp:from dotnet", output);
    }
}
