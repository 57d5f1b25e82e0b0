using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace TypedPyro.Tests.Support;

/// <summary>
/// Certificates made fresh for a test run (never committed): a CA, a server certificate it signed for localhost and
/// 127.0.0.1, client certificates, an expired server certificate, and a second CA that signed nothing the others
/// trust. Each is also written as PEM files, as Python's ssl and the SSL_* configuration items take them. ECDSA P-256
/// keeps the generation fast.
/// </summary>
internal sealed class TestCertificates
{
    private static readonly Lazy<TestCertificates> Shared = new(() => new TestCertificates());

    public static TestCertificates Instance => Shared.Value;

    private TestCertificates()
    {
        Folder = Directory.CreateTempSubdirectory("typedpyro-tls-").FullName;
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Directory.Delete(Folder, recursive: true);
        var now = DateTimeOffset.UtcNow;
        Ca = CreateCa("CN=TypedPyro Test CA, O=TypedPyro", now);
        WrongCa = CreateCa("CN=Some Other CA, O=Elsewhere", now);
        Server = CreateLeaf("CN=localhost, O=TypedPyro", Ca, now.AddDays(-1), now.AddDays(1), server: true);
        ExpiredServer = CreateLeaf("CN=localhost, O=TypedPyro", Ca, now.AddDays(-10), now.AddDays(-2), server: true);
        WrongCaServer = CreateLeaf("CN=localhost, O=Elsewhere", WrongCa, now.AddDays(-1), now.AddDays(1), server: true);
        Client = CreateLeaf("CN=pyro-client, O=TypedPyro", Ca, now.AddDays(-1), now.AddDays(1), server: false);
        Intruder = CreateLeaf("CN=intruder, O=TypedPyro", Ca, now.AddDays(-1), now.AddDays(1), server: false);
        KeyPassword = Convert.ToHexString(RandomNumberGenerator.GetBytes(12));
        WriteCertificate("ca.pem", Ca);
        WriteCertificate("wrongca.pem", WrongCa);
        foreach (var (name, certificate) in new[] { ("server", Server), ("expired", ExpiredServer), ("wrongcaserver", WrongCaServer), ("client", Client), ("intruder", Intruder) })
        {
            WriteCertificate(name + ".pem", certificate);
            File.WriteAllText(Path.Combine(Folder, name + ".key"), certificate.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem());
        }
        var encrypted = Server.GetECDsaPrivateKey()!.ExportEncryptedPkcs8PrivateKeyPem(KeyPassword, new PbeParameters(PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, 10_000));
        File.WriteAllText(Path.Combine(Folder, "server-encrypted.key"), encrypted);
        // The certificate and its key in one file: Python's load_cert_chain without a key file reads it from there.
        File.WriteAllText(Path.Combine(Folder, "client-combined.pem"), Client.ExportCertificatePem() + "\n" + Client.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem());
    }

    public string Folder { get; }
    public X509Certificate2 Ca { get; }
    public X509Certificate2 WrongCa { get; }
    public X509Certificate2 Server { get; }
    public X509Certificate2 ExpiredServer { get; }
    public X509Certificate2 WrongCaServer { get; }
    public X509Certificate2 Client { get; }
    public X509Certificate2 Intruder { get; }
    public string KeyPassword { get; }

    /// <summary>The path of one of the PEM files (<c>ca.pem</c>, <c>server.pem</c>, <c>server.key</c>, ...).</summary>
    public string PathOf(string name) => Path.Combine(Folder, name);

    public X509Certificate2Collection TrustedCa => [Ca];

    private void WriteCertificate(string name, X509Certificate2 certificate)
        => File.WriteAllText(Path.Combine(Folder, name), certificate.ExportCertificatePem());

    private static X509Certificate2 CreateCa(string subject, DateTimeOffset now)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return request.CreateSelfSigned(now.AddDays(-30), now.AddDays(30));
    }

    private static X509Certificate2 CreateLeaf(string subject, X509Certificate2 issuer, DateTimeOffset notBefore, DateTimeOffset notAfter, bool server)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(server ? "1.3.6.1.5.5.7.3.1" : "1.3.6.1.5.5.7.3.2")], false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer, true, false));
        var names = new SubjectAlternativeNameBuilder();
        if (server)
        {
            names.AddDnsName("localhost");
            names.AddIpAddress(IPAddress.Loopback);
        }
        else
        {
            names.AddDnsName(subject.Split(',')[0]["CN=".Length..]);
        }
        request.CertificateExtensions.Add(names.Build());
        var serial = RandomNumberGenerator.GetBytes(8);
        serial[0] &= 0x7F;
        using var signed = request.Create(issuer, notBefore, notAfter, serial);
        return signed.CopyWithPrivateKey(key);
    }
}
