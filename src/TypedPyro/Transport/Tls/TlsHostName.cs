using System.Net;
using System.Security.Cryptography.X509Certificates;

namespace TypedPyro.Transport;

/// <summary>
/// The host name check of Python's <c>ssl</c> (OpenSSL's, with <c>check_hostname</c> and no partial wildcards): an
/// IP address must be one of the certificate's IP subject alternative names; a name must match a DNS subject
/// alternative name (a wildcard covers exactly one leftmost label), or the subject's common name when the certificate
/// has no alternative names.
/// </summary>
internal static class TlsHostName
{
    public static bool Matches(X509Certificate2 certificate, string host)
    {
        host = host.Trim('[', ']');
        if (IPAddress.TryParse(host, out var address))
        {
            foreach (var extension in certificate.Extensions)
            {
                if (extension is not X509SubjectAlternativeNameExtension names) continue;
                foreach (var listed in names.EnumerateIPAddresses())
                {
                    if (listed.Equals(address)) return true;
                }
            }
            return false;
        }
        return certificate.MatchesHostname(host, allowWildcards: true, allowCommonName: true);
    }
}
