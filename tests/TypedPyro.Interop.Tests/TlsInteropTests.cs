using System.Security.Cryptography.X509Certificates;
using TypedPyro.Interop.Tests.Support;
using TypedPyro.Tests.Support;

namespace TypedPyro.Interop.Tests;

/// <summary>
/// TLS between .NET and the real Python Pyro4 4.82 with PYRO_SSL=1, both ways, one-way and mutual, and the refusals:
/// a wrong CA, an expired certificate, a missing client certificate, plain TCP against TLS and the reverse.
/// </summary>
public sealed class TlsInteropTests
{
    private static readonly TestCertificates Certs = TestCertificates.Instance;

    // One Python process tries several client set-ups; Pyro caches its client SSL context, so it is dropped between them.
    private const string PythonClients = """
        import sys, Pyro4, Pyro4.errors, Pyro4.socketutil
        out = []
        for name, uri, settings in CASES:
            Pyro4.config.SSL = settings.get("ssl", True)
            Pyro4.config.SSL_CACERTS = settings.get("ca", "")
            Pyro4.config.SSL_CLIENTCERT = settings.get("cert", "")
            Pyro4.config.SSL_CLIENTKEY = settings.get("key", "")
            setattr(Pyro4.socketutil, "__ssl_client_context", None)
            p = Pyro4.Proxy(uri)
            p._pyroTimeout = 20
            try:
                out.append(name + "=ok:" + str(p.peer()))
            except Exception as e:
                out.append(name + "=refused:" + type(e).__name__ + ":" + str(e).replace("|", "/"))
            finally:
                p._pyroRelease()
        print("|".join(out))
        """;

    private static (PyroDaemon Daemon, PyroUri Uri) StartDotnetDaemon(PyroConfig config)
    {
        config.CommTimeout = TimeSpan.FromSeconds(20);
        var daemon = new PyroDaemon(new PyroDaemonOptions { Host = "localhost", Config = config });
        var uri = daemon.Register(new PyroObjectBuilder("Peer")
            .Method("peer", call => call.Context.Client?.PeerCertificate?.GetNameInfo(X509NameType.SimpleName, false) ?? "anonymous")
            .Build(), "peer");
        daemon.Start();
        return (daemon, uri);
    }

    private static Dictionary<string, string> Results(string output)
        => output.Trim().Split('|').Select(r => r.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);

    private static string Py(string path) => $"'{path}'";

    [Fact]
    public async Task Python_clients_with_pyro_ssl_against_dotnet_daemons()
    {
        var (oneWay, oneWayUri) = StartDotnetDaemon(new PyroConfig { Ssl = true, SslServerCert = Certs.PathOf("server.pem"), SslServerKey = Certs.PathOf("server.key") });
        await using var _ = oneWay;
        var (mutual, mutualUri) = StartDotnetDaemon(new PyroConfig
        {
            Ssl = true, SslServerCert = Certs.PathOf("server.pem"), SslServerKey = Certs.PathOf("server.key"),
            SslRequireClientCert = true, SslCaCerts = Certs.PathOf("ca.pem"),
        });
        await using var __ = mutual;
        var (expired, expiredUri) = StartDotnetDaemon(new PyroConfig { Ssl = true, SslServerCert = Certs.PathOf("expired.pem"), SslServerKey = Certs.PathOf("expired.key") });
        await using var ___ = expired;
        var (plain, plainUri) = StartDotnetDaemon(new PyroConfig());
        await using var ____ = plain;

        string ca = Py(Certs.PathOf("ca.pem"));
        string cases = $$"""
            [
              ("oneway", "{{oneWayUri}}", {"ca": {{ca}}}),
              ("mutual", "{{mutualUri}}", {"ca": {{ca}}, "cert": {{Py(Certs.PathOf("client.pem"))}}, "key": {{Py(Certs.PathOf("client.key"))}}}),
              ("combined", "{{mutualUri}}", {"ca": {{ca}}, "cert": {{Py(Certs.PathOf("client-combined.pem"))}}}),
              ("nocert", "{{mutualUri}}", {"ca": {{ca}}}),
              ("wrongca", "{{oneWayUri}}", {"ca": {{Py(Certs.PathOf("wrongca.pem"))}}}),
              ("expired", "{{expiredUri}}", {"ca": {{ca}}}),
              ("plain-to-tls", "{{oneWayUri}}", {"ssl": False}),
              ("tls-to-plain", "{{plainUri}}", {"ca": {{ca}}}),
              ("after", "{{mutualUri}}", {"ca": {{ca}}, "cert": {{Py(Certs.PathOf("client.pem"))}}, "key": {{Py(Certs.PathOf("client.key"))}}}),
            ]
            """;
        var results = Results(await PythonPeer.RunScriptAsync(PythonClients.Replace("CASES", cases)));

        Assert.Equal("ok:anonymous", results["oneway"]);
        Assert.Equal("ok:pyro-client", results["mutual"]);
        Assert.Equal("ok:pyro-client", results["combined"]);
        Assert.StartsWith("refused:", results["nocert"]);
        Assert.Contains("CERTIFICATE_VERIFY_FAILED", results["wrongca"]);
        Assert.Contains("certificate has expired", results["expired"]);
        Assert.StartsWith("refused:", results["plain-to-tls"]);
        Assert.StartsWith("refused:", results["tls-to-plain"]);
        Assert.Equal("ok:pyro-client", results["after"]); // the daemons outlived every bad client
    }

    private const string PythonDaemon = """
        import Pyro4, Pyro4.errors
        class Peer(object):
            @Pyro4.expose
            def peer(self):
                cert = Pyro4.current_context.client.getpeercert()
                return dict(p[0] for p in cert["subject"])["commonName"] if cert else "anonymous"
        class CheckingDaemon(Pyro4.Daemon):
            def validateHandshake(self, conn, data):
                cert = conn.getpeercert()
                if cert and dict(p[0] for p in cert["subject"])["commonName"] == "intruder":
                    raise Pyro4.errors.CommunicationError("certificate not allowed")
                return super(CheckingDaemon, self).validateHandshake(conn, data)
        d = CheckingDaemon(host="localhost")
        print("uri:", d.register(Peer, "peer"), flush=True)
        d.requestLoop()
        """;

    private static PythonPeer StartPythonDaemon(bool requireClientCert)
    {
        var environment = new Dictionary<string, string>
        {
            ["PYRO_SSL"] = "1",
            ["PYRO_SSL_SERVERCERT"] = Certs.PathOf("server.pem"),
            ["PYRO_SSL_SERVERKEY"] = Certs.PathOf("server.key"),
            ["PYRO_SSL_CACERTS"] = Certs.PathOf("ca.pem"),
            ["PYRO_SSL_REQUIRECLIENTCERT"] = requireClientCert ? "1" : "0",
        };
        return PythonPeer.StartWithEnvironment(environment, "-c", PythonDaemon);
    }

    private static PyroProxy Proxy(string uri, PyroTlsOptions? tls)
        => new(uri, new PyroProxyOptions { Tls = tls, Config = new PyroConfig { CommTimeout = TimeSpan.FromSeconds(20) } });

    [Fact]
    public async Task Dotnet_proxies_against_python_daemons_with_pyro_ssl()
    {
        await using var oneWay = StartPythonDaemon(requireClientCert: false);
        await using var mutual = StartPythonDaemon(requireClientCert: true);
        string oneWayUri = await oneWay.WaitForAsync(@"^uri: (\S+)");
        string mutualUri = await mutual.WaitForAsync(@"^uri: (\S+)");
        var trusted = new PyroTlsOptions { CaCertificates = Certs.TrustedCa };

        await using (var proxy = Proxy(oneWayUri, trusted))
        {
            Assert.Equal("anonymous", await proxy.InvokeAsync("peer", []));
            Assert.Equal(Certs.Server.Thumbprint, proxy.PeerCertificate!.Thumbprint);
        }
        await using (var proxy = Proxy(mutualUri, trusted with { Certificate = Certs.Client }))
        {
            Assert.Equal("pyro-client", await proxy.InvokeAsync("peer", []));
        }
        await using (var intruder = Proxy(mutualUri, trusted with { Certificate = Certs.Intruder }))
        {
            var e = await Assert.ThrowsAsync<CommunicationException>(() => intruder.InvokeAsync("peer", []));
            Assert.Contains("rejected: certificate not allowed", e.Message);
        }
        await using (var noCert = Proxy(mutualUri, trusted))
        {
            await Assert.ThrowsAnyAsync<CommunicationException>(() => noCert.InvokeAsync("peer", []));
        }
        await using (var wrongCa = Proxy(oneWayUri, new PyroTlsOptions { CaCertificates = [Certs.WrongCa] }))
        {
            var e = await Assert.ThrowsAsync<CommunicationException>(() => wrongCa.InvokeAsync("peer", []));
            Assert.Contains("certificate verify failed", e.Message);
        }
        await using (var plain = Proxy(oneWayUri, tls: null))
        {
            await Assert.ThrowsAnyAsync<CommunicationException>(() => plain.InvokeAsync("peer", []));
        }
        // The Python daemons are still serving after every refusal.
        await using (var proxy = Proxy(mutualUri, trusted with { Certificate = Certs.Client }))
        {
            Assert.Equal("pyro-client", await proxy.InvokeAsync("peer", []));
        }
        await using (var proxy = Proxy(oneWayUri, trusted))
        {
            Assert.Equal("anonymous", await proxy.InvokeAsync("peer", []));
        }
    }

    [Fact]
    public async Task A_dotnet_tls_proxy_against_a_plain_python_daemon_fails_cleanly()
    {
        await using var plain = PythonPeer.Start("-c", PythonDaemon);
        string uri = await plain.WaitForAsync(@"^uri: (\S+)");
        await using (var tls = Proxy(uri, new PyroTlsOptions { CaCertificates = Certs.TrustedCa }))
        {
            var e = await Assert.ThrowsAsync<CommunicationException>(() => tls.InvokeAsync("peer", []));
            Assert.Contains("TLS handshake failed", e.Message);
        }
        await using var again = Proxy(uri, tls: null);
        Assert.Equal("anonymous", await again.InvokeAsync("peer", []));
    }
}
