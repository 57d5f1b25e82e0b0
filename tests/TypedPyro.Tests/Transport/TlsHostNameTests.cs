using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using TypedPyro.Transport;

namespace TypedPyro.Tests.Transport;

/// <summary>The host name rules of Python's ssl (OpenSSL's check with no partial wildcards).</summary>
public sealed class TlsHostNameTests
{
    private static X509Certificate2 Certificate(string subject, Action<SubjectAlternativeNameBuilder>? names)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        if (names is not null)
        {
            var builder = new SubjectAlternativeNameBuilder();
            names(builder);
            request.CertificateExtensions.Add(builder.Build());
        }
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
    }

    [Theory]
    [InlineData("pyro.example.org", true)]
    [InlineData("PYRO.Example.org", true)]
    [InlineData("a.pyro.example.org", true)]
    [InlineData("b.a.pyro.example.org", false)]
    [InlineData("example.org", false)]
    [InlineData("10.1.2.3", true)]
    [InlineData("[::1]", true)]
    [InlineData("10.1.2.4", false)]
    public void Alternative_names_decide(string host, bool matches)
    {
        using var cert = Certificate("CN=ignored.example.org", b =>
        {
            b.AddDnsName("pyro.example.org");
            b.AddDnsName("*.pyro.example.org");
            b.AddIpAddress(IPAddress.Parse("10.1.2.3"));
            b.AddIpAddress(IPAddress.IPv6Loopback);
        });
        Assert.Equal(matches, TlsHostName.Matches(cert, host));
        Assert.False(TlsHostName.Matches(cert, "ignored.example.org")); // the common name is not consulted when there are alternative names
    }

    [Fact]
    public void Without_alternative_names_the_common_name_is_used_for_names_but_not_addresses()
    {
        using var cert = Certificate("CN=legacy.example.org", null);
        Assert.True(TlsHostName.Matches(cert, "legacy.example.org"));
        Assert.False(TlsHostName.Matches(cert, "other.example.org"));
        using var byAddress = Certificate("CN=127.0.0.1", null);
        Assert.False(TlsHostName.Matches(byAddress, "127.0.0.1"));
    }
}
