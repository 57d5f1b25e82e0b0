using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using TypedPyro.Cli.Commands;
using TypedPyro.Gateway.Tests.Support;

namespace TypedPyro.Gateway.Tests;

/// <summary><c>typedpyro gateway</c> and the gateway embedded in an ASP.NET Core application.</summary>
[Collection(GatewayCollection.Name)]
public sealed class HostingTests(GatewayFixture fixture)
{
    [Fact]
    public async Task Cli_prints_like_python_and_serves_until_cancelled()
    {
        var output = new StringWriter();
        var error = new StringWriter();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var run = GatewayCommand.RunAsync(new GatewayCommand.Settings { Host = "127.0.0.1", Port = 0, NsHost = "127.0.0.1", NsPort = fixture.NameServer.Port },
            TextWriter.Synchronized(output), TextWriter.Synchronized(error), cts.Token);
        var page = await GatewayCliOutput.WaitForPageAsync(output, run);
        Assert.True(page is not null, output + "\n" + error);
        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(@"Exposing objects with names matching:  http\.", lines[0]);
        Assert.Equal($"Connected to name server at:  PYRO:Pyro.NameServer@127.0.0.1:{fixture.NameServer.Port}", lines[1]);

        var answer = await HttpExchange.SendAsync(fixture.Http, page, "GET", "/pyro/http.echo/echo?message=cli");
        Assert.Equal("\"cli\"", answer.BodyText);
        var failed = await HttpExchange.SendAsync(fixture.Http, page, "GET", "/pyro/http.nothere/echo");
        Assert.Equal(500, failed.Status);

        await cts.CancelAsync();
        Assert.Equal(0, await run);
        // wsgiref-style request lines and the error report go to standard error.
        Assert.Matches(@"127\.0\.0\.1 - - \[\d\d/\w{3}/\d{4} \d\d:\d\d:\d\d\] ""GET /pyro/http\.echo/echo\?message=cli HTTP/1\.1"" 200 5", error.ToString());
        Assert.Contains("ERROR handling http.nothere/echo with params {}:", error.ToString());
    }

    [Fact]
    public async Task Cli_refuses_keys_on_the_command_line()
    {
        var error = new StringWriter();
        int code = await GatewayCommand.RunAsync(new GatewayCommand.Settings { KeyOnCommandLine = true }, TextWriter.Null, error, CancellationToken.None);
        Assert.Equal(GatewayCommand.UsageError, code);
        Assert.Contains("PYRO_HTTPGATEWAY_KEY", error.ToString());
    }

    [Fact]
    public async Task Cli_without_a_name_server_still_starts()
    {
        var output = new StringWriter();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var run = GatewayCommand.RunAsync(new GatewayCommand.Settings { Host = "127.0.0.1", Port = 0, NsHost = "127.0.0.1", NsPort = PythonProcess.FreePort(), Expose = "" },
            TextWriter.Synchronized(output), TextWriter.Null, cts.Token);
        for (int i = 0; i < 200 && !output.ToString().Contains("running on", StringComparison.Ordinal) && !run.IsCompleted; i++) await Task.Delay(50);
        await cts.CancelAsync();
        Assert.Equal(0, await run);
        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal("Warning: exposing all objects (no expose regex set)", lines[0]);
        Assert.Equal("Not yet connected to a name server.", lines[1]);
        Assert.StartsWith("Pyro HTTP gateway running on http://127.0.0.1:", lines[2]);
    }

    [Fact]
    public async Task MapPyroGateway_embeds_the_gateway_next_to_other_endpoints()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(System.Net.IPAddress.Loopback, 0));
        await using var app = builder.Build();
        app.MapGet("/health", () => "fine");
        bool conventionApplied = false;
        app.MapPyroGateway(fixture.Options()).Add(_ => conventionApplied = true);
        await app.StartAsync();
        try
        {
            var baseAddress = new Uri(app.Urls.First());
            Assert.Equal("fine", (await HttpExchange.SendAsync(fixture.Http, baseAddress, "GET", "/health")).BodyText);
            Assert.Equal("\"embedded\"", (await HttpExchange.SendAsync(fixture.Http, baseAddress, "GET", "/pyro/http.echo/echo?message=embedded")).BodyText);
            var root = await HttpExchange.SendAsync(fixture.Http, baseAddress, "GET", "/");
            Assert.Equal((302, "/pyro/"), (root.Status, root.Header("Location")));
            Assert.Equal(405, (await HttpExchange.SendAsync(fixture.Http, baseAddress, "PUT", "/pyro/http.echo/echo")).Status);
            Assert.Equal(200, (await HttpExchange.SendAsync(fixture.Http, baseAddress, "GET", "/pyro/")).Status);
            // Other paths are the application's own (its 404 here, not the gateway's text).
            var other = await HttpExchange.SendAsync(fixture.Http, baseAddress, "GET", "/other");
            Assert.Equal(404, other.Status);
            Assert.NotEqual("Error 404: Not Found", other.BodyText);
            Assert.True(conventionApplied);
        }
        finally
        {
            await app.StopAsync();
        }
    }

    [Fact]
    public async Task Run_works_in_any_pipeline_under_a_path_base()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(System.Net.IPAddress.Loopback, 0));
        await using var app = builder.Build();
        using var gateway = new PyroGateway(fixture.Options());
        app.Map("/gw", branch => branch.Run(gateway.HandleAsync));
        await app.StartAsync();
        try
        {
            var baseAddress = new Uri(app.Urls.First());
            var root = await HttpExchange.SendAsync(fixture.Http, baseAddress, "GET", "/gw");
            Assert.Equal((302, "/gw/pyro/"), (root.Status, root.Header("Location")));
            Assert.Equal("\"based\"", (await HttpExchange.SendAsync(fixture.Http, baseAddress, "GET", "/gw/pyro/http.echo/echo?message=based")).BodyText);
        }
        finally
        {
            await app.StopAsync();
        }
    }
}
