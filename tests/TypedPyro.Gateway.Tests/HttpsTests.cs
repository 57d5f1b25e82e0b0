using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using TypedPyro.Cli.Commands;
using TypedPyro.Gateway.Tests.Support;
using TypedPyro.Tests.Support;

namespace TypedPyro.Gateway.Tests;

/// <summary>The gateway over HTTPS: a certificate in code or PEM files on the command line, checked by a client that trusts only the test CA.</summary>
[Collection(GatewayCollection.Name)]
public sealed class HttpsTests(GatewayFixture fixture) : IDisposable
{
    private static TestCertificates Certificates => TestCertificates.Instance;

    /// <summary>Verifies the chain against the test CA alone, and the host name (127.0.0.1 is in the certificate's names).</summary>
    private readonly HttpClient _https = new(new SocketsHttpHandler
    {
        SslOptions = new SslClientAuthenticationOptions
        {
            CertificateChainPolicy = new X509ChainPolicy
            {
                TrustMode = X509ChainTrustMode.CustomRootTrust,
                CustomTrustStore = { Certificates.Ca },
                RevocationMode = X509RevocationMode.NoCheck,
            },
        },
    }) { Timeout = TimeSpan.FromSeconds(60) };

    public void Dispose() => _https.Dispose();

    private async Task<PyroGatewayServer> StartHttpsAsync()
    {
        var server = new PyroGatewayServer(new PyroGatewayServerOptions { Host = "127.0.0.1", Port = 0, Gateway = fixture.Options(), Certificate = Certificates.Server });
        await server.StartAsync();
        return server;
    }

    [Fact]
    public async Task Serves_the_page_and_calls_over_https()
    {
        await using var server = await StartHttpsAsync();
        Assert.Equal("https", server.BaseAddress!.Scheme);
        Assert.Equal($"https://127.0.0.1:{server.EndPoint!.Port}/pyro/", server.PageAddress!.ToString());

        var page = await HttpExchange.SendAsync(_https, server.BaseAddress, "GET", "/pyro/");
        Assert.Equal(200, page.Status);
        Assert.Contains("<title>", page.BodyText, StringComparison.Ordinal);
        var echo = await HttpExchange.SendAsync(_https, server.BaseAddress, "GET", "/pyro/http.echo/echo?message=over%20tls");
        Assert.Equal((200, "\"over tls\""), (echo.Status, echo.BodyText));
    }

    [Fact]
    public async Task Plain_http_to_the_https_port_gets_no_answer_and_https_goes_on()
    {
        await using var server = await StartHttpsAsync();
        using var plain = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var plainAddress = new Uri($"http://127.0.0.1:{server.EndPoint!.Port}/");
        int? status = null;
        try
        {
            status = (await HttpExchange.SendAsync(plain, plainAddress, "GET", "/pyro/http.echo/echo?message=plain")).Status;
        }
        catch (HttpRequestException)
        {
        }
        // Kestrel either drops the connection or answers 400; never the object's reply.
        Assert.True(status is null or 400, $"plain HTTP got status {status}");

        var echo = await HttpExchange.SendAsync(_https, server.BaseAddress!, "GET", "/pyro/http.echo/echo?message=still");
        Assert.Equal("\"still\"", echo.BodyText);
    }

    [Fact]
    public async Task A_client_that_does_not_trust_the_certificate_is_refused()
    {
        await using var server = await StartHttpsAsync();
        using var untrusting = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var error = await Assert.ThrowsAsync<HttpRequestException>(() => HttpExchange.SendAsync(untrusting, server.BaseAddress!, "GET", "/pyro/"));
        Assert.IsType<System.Security.Authentication.AuthenticationException>(error.InnerException);
    }

    [Fact]
    public void A_certificate_without_its_private_key_is_refused_at_once()
    {
        using var publicOnly = X509CertificateLoader.LoadCertificate(Certificates.Server.RawData);
        var error = Assert.Throws<ArgumentException>(() => new PyroGatewayServer(new PyroGatewayServerOptions { Certificate = publicOnly }));
        Assert.Contains("private key", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cli_serves_https_from_pem_files()
    {
        var output = new StringWriter();
        var error = new StringWriter();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var run = GatewayCommand.RunAsync(new GatewayCommand.Settings
        {
            Host = "127.0.0.1", Port = 0, NsHost = "127.0.0.1", NsPort = fixture.NameServer.Port,
            CertFile = Certificates.PathOf("server.pem"), KeyFile = Certificates.PathOf("server.key"),
        }, TextWriter.Synchronized(output), TextWriter.Synchronized(error), cts.Token);
        var page = await GatewayCliOutput.WaitForPageAsync(output, run, "https");
        Assert.True(page is not null, output + "\n" + error);
        var echo = await HttpExchange.SendAsync(_https, page, "GET", "/pyro/http.echo/echo?message=cli-tls");
        Assert.Equal("\"cli-tls\"", echo.BodyText);
        await cts.CancelAsync();
        Assert.Equal(0, await run);
    }

    [Theory]
    [InlineData("missing.pem", "server.key", "error: no such file: ")]
    [InlineData("server.pem", "client.key", "error: cannot load the HTTPS certificate and key from ")]
    [InlineData("ca.pem", null, "error: cannot load the HTTPS certificate and key from ")]
    public async Task Cli_names_a_bad_certificate_in_one_line(string certFile, string? keyFile, string expected)
    {
        var error = new StringWriter();
        int code = await GatewayCommand.RunAsync(new GatewayCommand.Settings
        {
            Host = "127.0.0.1", Port = 0, NsHost = "127.0.0.1", NsPort = fixture.NameServer.Port,
            CertFile = Certificates.PathOf(certFile), KeyFile = keyFile is null ? null : Certificates.PathOf(keyFile),
        }, TextWriter.Null, error, CancellationToken.None);
        Assert.Equal(GatewayCommand.UsageError, code);
        var lines = error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.StartsWith(expected, lines[0], StringComparison.Ordinal);
    }
}
