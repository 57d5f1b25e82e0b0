using TypedPyro.Tests.Support;

namespace TypedPyro.Tests.Transport;

/// <summary>A .NET proxy and a .NET daemon over TLS: one-way and mutual, from PEM files and from code, and every refusal.</summary>
public sealed class TlsTests
{
    private static readonly TestCertificates Certs = TestCertificates.Instance;

    private static PyroConfig ServerConfig(string cert = "server.pem", string key = "server.key", bool requireClientCert = false)
    {
        var config = new PyroConfig { Ssl = true, SslServerCert = Certs.PathOf(cert), SslServerKey = Certs.PathOf(key), SslRequireClientCert = requireClientCert };
        if (requireClientCert) config.SslCaCerts = Certs.PathOf("ca.pem");
        return config;
    }

    private static PyroConfig ClientConfig(string ca = "ca.pem", string? clientCert = null)
    {
        var config = new PyroConfig { Ssl = true, SslCaCerts = Certs.PathOf(ca) };
        if (clientCert is not null)
        {
            config.SslClientCert = Certs.PathOf(clientCert + ".pem");
            config.SslClientKey = Certs.PathOf(clientCert + ".key");
        }
        return config;
    }

    private static (PyroDaemon Daemon, PyroUri Uri) StartDaemon(PyroDaemonOptions options)
    {
        var daemon = new PyroDaemon(options with { Host = options.Host ?? "127.0.0.1" });
        var uri = daemon.Register(new PyroObjectBuilder("Echo")
            .Method("echo", call => call.Arg(0, "message"))
            .Method("peer", call => call.Context.Client?.PeerCertificate?.GetNameInfo(System.Security.Cryptography.X509Certificates.X509NameType.SimpleName, false))
            .Build(), "echo");
        daemon.Start();
        return (daemon, uri);
    }

    [Fact]
    public async Task Calls_go_over_tls_with_the_certificates_of_the_ssl_config_items()
    {
        var (daemon, uri) = StartDaemon(new PyroDaemonOptions { Config = ServerConfig() });
        await using var _ = daemon;
        Assert.True(daemon.UsesTls);
        await using var proxy = new PyroProxy(uri, new PyroProxyOptions { Config = ClientConfig() });
        Assert.Equal("secret", await proxy.InvokeAsync("echo", ["secret"]));
        Assert.Equal(Certs.Server.Thumbprint, proxy.PeerCertificate!.Thumbprint);
        Assert.Null(await proxy.InvokeAsync("peer", [])); // one-way TLS: the daemon asks for no client certificate
    }

    [Fact]
    public async Task Blocking_calls_with_a_timeout_go_over_tls()
    {
        var (daemon, uri) = StartDaemon(new PyroDaemonOptions { Config = ServerConfig() });
        await using var _ = daemon;
        var config = ClientConfig();
        config.CommTimeout = TimeSpan.FromSeconds(20);
        await using var proxy = new PyroProxy(uri, new PyroProxyOptions { Config = config });
        Assert.Equal("blocking", proxy.Invoke("echo", "blocking"));
        Assert.Equal(20_000, proxy.ConnectedSocket!.ReceiveTimeout);
    }

    [Fact]
    public async Task An_encrypted_key_is_read_with_its_password()
    {
        var config = ServerConfig(key: "server-encrypted.key");
        config.SslServerKeyPasswd = Certs.KeyPassword;
        var (daemon, uri) = StartDaemon(new PyroDaemonOptions { Config = config });
        await using var _ = daemon;
        await using var proxy = new PyroProxy(uri, new PyroProxyOptions { Config = ClientConfig() });
        Assert.Equal("locked", await proxy.InvokeAsync("echo", ["locked"]));
    }

    [Fact]
    public async Task Mutual_tls_shows_the_client_certificate_to_the_handshake_and_the_call_context()
    {
        var (daemon, uri) = StartDaemon(new PyroDaemonOptions
        {
            Tls = new PyroTlsOptions { Certificate = Certs.Server, CaCertificates = Certs.TrustedCa, RequireClientCertificate = true },
            Config = new PyroConfig(),
        });
        await using var _ = daemon;
        daemon.ValidateHandshake = (connection, _) => connection.PeerCertificate?.Subject == Certs.Client.Subject
            ? "welcome"
            : throw new PyroSecurityException("certificate not allowed: " + connection.PeerCertificate?.Subject);
        var trusted = new PyroTlsOptions { CaCertificates = Certs.TrustedCa };

        await using (var client = new PyroProxy(uri, new PyroProxyOptions { Tls = trusted with { Certificate = Certs.Client }, Config = new PyroConfig() }))
        {
            Assert.Equal("pyro-client", await client.InvokeAsync("peer", []));
            Assert.Equal("welcome", client.HandshakeResponse);
        }
        await using (var intruder = new PyroProxy(uri, new PyroProxyOptions { Tls = trusted with { Certificate = Certs.Intruder }, Config = new PyroConfig() }))
        {
            var e = await Assert.ThrowsAsync<CommunicationException>(() => intruder.InvokeAsync("echo", ["x"]));
            Assert.Contains("rejected: certificate not allowed: CN=intruder", e.Message);
        }
        await using (var anonymous = new PyroProxy(uri, new PyroProxyOptions { Tls = trusted, Config = new PyroConfig() }))
        {
            // TLS 1.3 sends the daemon's refusal after the client's handshake is done: it ends the first exchange.
            await Assert.ThrowsAnyAsync<CommunicationException>(() => anonymous.InvokeAsync("echo", ["x"]));
        }
        await AssertStillServes(uri, trusted with { Certificate = Certs.Client });
    }

    [Fact]
    public async Task A_client_certificate_from_another_ca_is_refused_by_the_daemon()
    {
        var (daemon, uri) = StartDaemon(new PyroDaemonOptions { Config = ServerConfig(requireClientCert: true) });
        await using var _ = daemon;
        await using var proxy = new PyroProxy(uri, new PyroProxyOptions { Tls = new PyroTlsOptions { CaCertificates = Certs.TrustedCa, Certificate = Certs.WrongCaServer }, Config = new PyroConfig() });
        await Assert.ThrowsAnyAsync<CommunicationException>(() => proxy.InvokeAsync("echo", ["x"]));
        await using var good = new PyroProxy(uri, new PyroProxyOptions { Config = ClientConfig(clientCert: "client") });
        Assert.Equal("pyro-client", await good.InvokeAsync("peer", []));
    }

    [Theory]
    [InlineData("wrongcaserver.pem", "wrongcaserver.key", "certificate verify failed")]
    [InlineData("expired.pem", "expired.key", "expired")]
    public async Task The_proxy_refuses_a_server_certificate_it_cannot_verify(string cert, string key, string reason)
    {
        var (daemon, uri) = StartDaemon(new PyroDaemonOptions { Config = ServerConfig(cert, key) });
        await using var _ = daemon;
        await using var proxy = new PyroProxy(uri, new PyroProxyOptions { Config = ClientConfig() });
        var e = await Assert.ThrowsAsync<CommunicationException>(() => proxy.InvokeAsync("echo", ["x"]));
        Assert.Contains("TLS handshake failed", e.Message);
        Assert.Contains(reason, e.Message, StringComparison.OrdinalIgnoreCase);
        // The daemon learns of the client's alert asynchronously: the refused connection must go, not linger.
        await Eventually.TrueAsync(() => daemon.ConnectionCount == 0);
    }

    [Fact]
    public async Task The_proxy_refuses_a_certificate_for_another_host_name()
    {
        var (daemon, uri) = StartDaemon(new PyroDaemonOptions { Config = ServerConfig() });
        await using var _ = daemon;
        await using var proxy = new PyroProxy(uri, new PyroProxyOptions { Tls = new PyroTlsOptions { CaCertificates = Certs.TrustedCa, TargetHost = "pyro.example.org" }, Config = new PyroConfig() });
        var e = await Assert.ThrowsAsync<CommunicationException>(() => proxy.InvokeAsync("echo", ["x"]));
        Assert.Contains("Hostname mismatch, certificate is not valid for 'pyro.example.org'", e.Message);
        await AssertStillServes(uri, new PyroTlsOptions { CaCertificates = Certs.TrustedCa });
    }

    [Fact]
    public async Task Plain_tcp_against_a_tls_daemon_and_tls_against_a_plain_daemon_fail_cleanly()
    {
        var (tlsDaemon, tlsUri) = StartDaemon(new PyroDaemonOptions { Config = ServerConfig() });
        await using var _ = tlsDaemon;
        await using (var plain = new PyroProxy(tlsUri, new PyroProxyOptions { Config = new PyroConfig { CommTimeout = TimeSpan.FromSeconds(20) } }))
        {
            await Assert.ThrowsAnyAsync<CommunicationException>(() => plain.InvokeAsync("echo", ["x"]));
        }
        await AssertStillServes(tlsUri, new PyroTlsOptions { CaCertificates = Certs.TrustedCa });

        var (plainDaemon, plainUri) = StartDaemon(new PyroDaemonOptions { Config = new PyroConfig() });
        await using var __ = plainDaemon;
        await using (var tls = new PyroProxy(plainUri, new PyroProxyOptions { Config = ClientConfig() }))
        {
            var e = await Assert.ThrowsAsync<CommunicationException>(() => tls.InvokeAsync("echo", ["x"]));
            Assert.Contains("TLS handshake failed", e.Message);
        }
        await using var again = new PyroProxy(plainUri, new PyroProxyOptions { Config = new PyroConfig() });
        Assert.Equal("plain", await again.InvokeAsync("echo", ["plain"]));
    }

    [Fact]
    public void Missing_or_unreadable_certificates_are_clear_errors_when_the_daemon_is_made()
    {
        var none = Assert.Throws<PyroException>(() => new PyroDaemon(new PyroDaemonOptions { Host = "127.0.0.1", Config = new PyroConfig { Ssl = true } }));
        Assert.Contains("SSL_SERVERCERT", none.Message);
        var missing = Assert.Throws<PyroException>(() => new PyroDaemon(new PyroDaemonOptions { Host = "127.0.0.1", Config = ServerConfig(cert: "nothing-here.pem") }));
        Assert.Contains("SSL_SERVERCERT: certificate file not found", missing.Message);
        var config = ServerConfig(key: "server-encrypted.key");
        config.SslServerKeyPasswd = "not the password";
        var wrong = Assert.Throws<PyroException>(() => new PyroDaemon(new PyroDaemonOptions { Host = "127.0.0.1", Config = config }));
        Assert.Contains("cannot load the certificate and key", wrong.Message);
        var otherKey = Assert.Throws<PyroException>(() => new PyroDaemon(new PyroDaemonOptions { Host = "127.0.0.1", Config = ServerConfig(key: "client.key") }));
        Assert.Contains("SSL_SERVERCERT: cannot load the certificate and key", otherKey.Message);
        Assert.Throws<ArgumentException>(() => new PyroDaemon(new PyroDaemonOptions { Host = "127.0.0.1", Tls = new PyroTlsOptions { Certificate = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificate(Certs.Ca.RawData) } }));
    }

    [Fact]
    public async Task A_silent_client_on_a_tls_port_is_dropped_after_the_handshake_timeout()
    {
        var config = ServerConfig();
        config.CommTimeout = TimeSpan.FromMilliseconds(300);
        var (daemon, uri) = StartDaemon(new PyroDaemonOptions { Config = config });
        await using var _ = daemon;
        using var silent = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
        await silent.ConnectAsync(daemon.BoundEndPoint!);
        var buffer = new byte[1];
        int read = await silent.ReceiveAsync(buffer, System.Net.Sockets.SocketFlags.None).WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(0, read); // closed by the daemon
        await AssertStillServes(uri, new PyroTlsOptions { CaCertificates = Certs.TrustedCa });
    }

    private static async Task AssertStillServes(PyroUri uri, PyroTlsOptions tls)
    {
        await using var proxy = new PyroProxy(uri, new PyroProxyOptions { Tls = tls, Config = new PyroConfig() });
        Assert.Equal("alive", await proxy.InvokeAsync("echo", ["alive"]));
    }
}
