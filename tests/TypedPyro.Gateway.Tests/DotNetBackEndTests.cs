using System.Text.Json.Nodes;
using TypedPyro.Gateway.Tests.Support;

namespace TypedPyro.Gateway.Tests;

/// <summary>.NET daemons behind the gateway, and HMAC keys between the gateway, the name server and the objects.</summary>
[Collection(GatewayCollection.Name)]
public sealed class DotNetBackEndTests(GatewayFixture fixture)
{
    private static IPyroDispatcher Greeter() => new PyroObjectBuilder("Greeter")
        .Method("greet", call =>
        {
            call.ExpectAtMost(0, "name", "punctuation");
            return $"Hello, {call.Arg(0, "name")}{call.Arg(1, "punctuation", optional: true, defaultValue: "!")}";
        })
        .Method("names", call => call.Kwargs?.Keys.Order(StringComparer.Ordinal).ToList())
        .Method("fail", _ => throw new InvalidOperationException("greeter is out of order"))
        .Attribute("count", () => 3L)
        .Build();

    private static async Task RegisterAsync(int nsPort, string name, PyroUri uri, byte[]? key = null)
    {
        await using var ns = new PyroProxy(new PyroUri(PyroNames.NameServerObjectId, "127.0.0.1", nsPort), new PyroProxyOptions { HmacKey = key });
        await ns.InvokeAsync("register", [name, uri.ToString()]);
    }

    [Fact]
    public async Task Calls_a_dotnet_daemon_like_a_python_one()
    {
        await using var daemon = new PyroDaemon(new PyroDaemonOptions { Host = "127.0.0.1" });
        var uri = daemon.Register(Greeter(), "http.greeter");
        daemon.Start();
        await RegisterAsync(fixture.NameServer.Port, "http.greeter", uri);
        try
        {
            foreach (var gateway in new[] { await fixture.DotNetAsync(), await fixture.PythonAsync() })
            {
                var greet = await HttpExchange.SendAsync(fixture.Http, gateway, "GET", "/pyro/http.greeter/greet?name=web&punctuation=%3F");
                Assert.Equal((200, "\"Hello, web?\""), (greet.Status, greet.BodyText));
                var names = await HttpExchange.SendAsync(fixture.Http, gateway, "GET", "/pyro/http.greeter/names?b=1&a=2");
                Assert.Equal("[\"a\", \"b\"]", names.BodyText);
                var count = await HttpExchange.SendAsync(fixture.Http, gateway, "GET", "/pyro/http.greeter/count");
                Assert.Equal("3", count.BodyText);
                var meta = JsonNode.Parse((await HttpExchange.SendAsync(fixture.Http, gateway, "GET", "/pyro/http.greeter/$meta")).Body)!;
                Assert.Equal(["fail", "greet", "names"], meta["methods"]!.AsArray().Select(n => n!.GetValue<string>()).Order());
                Assert.Equal(["count"], meta["attributes"]!.AsArray().Select(n => n!.GetValue<string>()));

                var fail = await HttpExchange.SendAsync(fixture.Http, gateway, "GET", "/pyro/http.greeter/fail");
                Assert.Equal(500, fail.Status);
                var error = JsonNode.Parse(fail.Body)!;
                Assert.Equal("builtins.RuntimeError", error["__class__"]!.GetValue<string>());
                Assert.Equal("greeter is out of order", error["args"]![0]!.GetValue<string>());

                var extra = JsonNode.Parse((await HttpExchange.SendAsync(fixture.Http, gateway, "GET", "/pyro/http.greeter/greet?name=a&x=1")).Body)!;
                Assert.Equal("greet() got an unexpected keyword argument 'x'", extra["args"]![0]!.GetValue<string>());
            }
        }
        finally
        {
            await using var ns = new PyroProxy(new PyroUri(PyroNames.NameServerObjectId, "127.0.0.1", fixture.NameServer.Port));
            await ns.InvokeAsync("remove", ["http.greeter"]);
        }
    }

    [Fact]
    public async Task Hmac_key_reaches_the_name_server_and_the_objects()
    {
        var key = "hmac-secret"u8.ToArray();
        int port = PythonProcess.FreePort();
        await using var ns = PythonProcess.Start(new Dictionary<string, string> { ["PYRO_HMAC_KEY"] = "hmac-secret" },
            "-m", "Pyro4.naming", "-n", "127.0.0.1", "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await ns.WaitForAsync("^NS running");
        await using var daemon = new PyroDaemon(new PyroDaemonOptions { Host = "127.0.0.1", HmacKey = key });
        var uri = daemon.Register(Greeter(), "http.greeter");
        daemon.Start();
        await RegisterAsync(port, "http.greeter", uri, key);

        var withKey = await fixture.StartServerAsync(fixture.Options() with { NameServerPort = port, HmacKey = key });
        var ok = await HttpExchange.SendAsync(fixture.Http, withKey.BaseAddress!, "GET", "/pyro/http.greeter/greet?name=hmac");
        Assert.Equal("\"Hello, hmac!\"", ok.BodyText);
        var page = await HttpExchange.SendAsync(fixture.Http, withKey.BaseAddress!, "GET", "/pyro/");
        Assert.Contains("http.greeter", page.BodyText);

        var withoutKey = await fixture.StartServerAsync(fixture.Options() with { NameServerPort = port });
        var refused = await HttpExchange.SendAsync(fixture.Http, withoutKey.BaseAddress!, "GET", "/pyro/http.greeter/greet?name=hmac");
        Assert.Equal(500, refused.Status);
        Assert.Equal("Pyro4.errors.NamingError", JsonNode.Parse(refused.Body)!["__class__"]!.GetValue<string>());
    }
}
