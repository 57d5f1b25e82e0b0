using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace TypedPyro.Transport;

/// <summary>
/// Verifies the peer's certificate in one TLS handshake as Python's <c>ssl</c> does with Pyro's contexts: the chain
/// must end at a system root or at one of the SSL_CACERTS certificates, be in its validity period, and (on the client)
/// match the host name. Keeps the reason of a refusal for the error message, since SslStream only reports "rejected".
/// </summary>
internal sealed class TlsPeerCheck(X509Certificate2Collection trusted, string? hostName, bool certificateRequired, Oid purpose)
{
    /// <summary>Why the peer was refused, in the words OpenSSL (and so Python) uses; null while it was not.</summary>
    public string? Failure { get; private set; }

    public bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (!certificateRequired) return true; // a daemon without SSL_REQUIRECLIENTCERT neither asks for nor checks one (CERT_NONE)
        if (certificate is null)
        {
            Failure = "peer did not return a certificate";
            return false;
        }
        var peer = certificate as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        // .NET's own chain trusts the system roots only; Python adds SSL_CACERTS to them, so build again with those.
        if ((errors & (SslPolicyErrors.RemoteCertificateChainErrors | SslPolicyErrors.RemoteCertificateNotAvailable)) != 0 || chain is null)
        {
            if (BuildChain(peer, chain) is { } reason)
            {
                Failure = "certificate verify failed: " + reason;
                return false;
            }
        }
        // .NET's name check is replaced by Python's rules (TlsHostName), so that both sides accept the same certificates.
        if (hostName is not null && !TlsHostName.Matches(peer, hostName))
        {
            Failure = $"certificate verify failed: Hostname mismatch, certificate is not valid for '{hostName}'";
            return false;
        }
        return true;
    }

    /// <summary>Null when the chain of <paramref name="peer"/> ends at a trusted root, else the reason it does not.</summary>
    private string? BuildChain(X509Certificate2 peer, X509Chain? presented)
    {
        using var chain = new X509Chain();
        var policy = chain.ChainPolicy;
        policy.RevocationMode = X509RevocationMode.NoCheck; // Python's default contexts load no CRLs
        policy.ApplicationPolicy.Add(purpose);
        if (presented is not null)
        {
            policy.ExtraStore.AddRange(presented.ChainPolicy.ExtraStore);
            foreach (var element in presented.ChainElements) policy.ExtraStore.Add(element.Certificate);
        }
        if (trusted.Count > 0)
        {
            policy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            policy.CustomTrustStore.AddRange(trusted);
        }
        if (chain.Build(peer)) return null;
        // With custom roots the system's are not consulted: a peer under a public CA gets a second chance there.
        if (trusted.Count > 0 && SystemTrusts(peer, policy.ExtraStore)) return null;
        var reasons = chain.ChainStatus
            .Select(s => string.IsNullOrWhiteSpace(s.StatusInformation) ? s.Status.ToString() : s.StatusInformation.Trim())
            .Distinct(StringComparer.Ordinal);
        return string.Join("; ", reasons);
    }

    private bool SystemTrusts(X509Certificate2 peer, X509Certificate2Collection extra)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.ApplicationPolicy.Add(purpose);
        chain.ChainPolicy.ExtraStore.AddRange(extra);
        return chain.Build(peer);
    }

    /// <summary>Server authentication (a proxy checking a daemon).</summary>
    public static Oid ServerAuth => new("1.3.6.1.5.5.7.3.1");

    /// <summary>Client authentication (a daemon checking a proxy).</summary>
    public static Oid ClientAuth => new("1.3.6.1.5.5.7.3.2");
}
