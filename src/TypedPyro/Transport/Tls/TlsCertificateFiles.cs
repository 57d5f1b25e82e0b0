using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace TypedPyro.Transport;

/// <summary>
/// Reads certificates and keys from PEM files the way Python's <c>ssl</c> takes them: a certificate file that may hold
/// the chain after the certificate, a key in its own file or in the certificate file, an optional key password, and
/// CA certificates from one file or every file of a folder. Every problem is a <see cref="PyroException"/> naming the
/// configuration item and the file.
/// </summary>
internal static class TlsCertificateFiles
{
    /// <summary>A certificate with its private key, plus the chain certificates that followed it in the file.</summary>
    /// <remarks><paramref name="item"/> is the configuration item named in errors (SSL_SERVERCERT or SSL_CLIENTCERT).</remarks>
    public static (X509Certificate2 Certificate, X509Certificate2Collection Chain) LoadIdentity(string certFile, string keyFile, string password, string item)
    {
        if (!File.Exists(certFile)) throw new PyroException($"{item}: certificate file not found: {certFile}", new FileNotFoundException(null, certFile));
        string? key = keyFile.Length == 0 ? null : keyFile;
        if (key is not null && !File.Exists(key)) throw new PyroException($"{item}: key file not found: {key}", new FileNotFoundException(null, key));
        try
        {
            var certificate = password.Length == 0
                ? X509Certificate2.CreateFromPemFile(certFile, key)
                : X509Certificate2.CreateFromEncryptedPemFile(certFile, password, key);
            var chain = new X509Certificate2Collection();
            chain.ImportFromPemFile(certFile);
            for (int i = chain.Count - 1; i >= 0; i--)
            {
                if (chain[i].RawDataMemory.Span.SequenceEqual(certificate.RawDataMemory.Span)) chain.RemoveAt(i);
            }
            return (Usable(certificate), chain);
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException) // ArgumentException: the key is not the certificate's
        {
            throw new PyroException($"{item}: cannot load the certificate and key from {certFile}{(key is null ? "" : " and " + key)}: {e.Message}", e);
        }
    }

    /// <summary>The CA certificates of a PEM file, or of every PEM file in a folder (SSL_CACERTS).</summary>
    public static X509Certificate2Collection LoadCaCertificates(string path)
    {
        var certificates = new X509Certificate2Collection();
        if (Directory.Exists(path))
        {
            foreach (var file in Directory.EnumerateFiles(path).Order(StringComparer.Ordinal))
            {
                try
                {
                    certificates.ImportFromPemFile(file);
                }
                catch (CryptographicException)
                {
                    // Not a PEM file (an OpenSSL hash link to one is read as its target): folders hold other things too.
                }
            }
            return certificates;
        }
        if (!File.Exists(path)) throw new PyroException($"SSL_CACERTS: no such file or folder: {path}", new FileNotFoundException(null, path));
        try
        {
            certificates.ImportFromPemFile(path);
        }
        catch (CryptographicException e)
        {
            throw new PyroException($"SSL_CACERTS: cannot read certificates from {path}: {e.Message}", e);
        }
        return certificates;
    }

    /// <summary>
    /// Windows' TLS stack cannot use a key that only lives in memory (as one read from PEM does); a PKCS#12 round
    /// trip gives it a stored key. Elsewhere the certificate is used as it is.
    /// </summary>
    private static X509Certificate2 Usable(X509Certificate2 certificate)
    {
        if (!OperatingSystem.IsWindows()) return certificate;
        using (certificate)
        {
            return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);
        }
    }
}
