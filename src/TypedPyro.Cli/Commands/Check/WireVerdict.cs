using System.Buffers.Binary;
using System.Text;

namespace TypedPyro.Cli.Commands.Check;

/// <summary>Which wire protocol a server spoke, read off the first bytes it answered.</summary>
internal enum WireKind
{
    Pyro4,
    Pyro5,
    Pyro3,
    /// <summary>"PYRO" with a version no Pyro release used.</summary>
    PyroUnknown,
    Http,
    /// <summary>A TLS record (an alert): the server wants TLS first.</summary>
    Tls,
    NotPyro,
}

/// <summary>The protocol and its version number (0 when the bytes carry none).</summary>
internal sealed record WireVerdict(WireKind Kind, int Version, string Description)
{
    /// <summary>
    /// Reads "PYRO" and the big-endian version that every Pyro header starts with (Pyro's own troubleshooting
    /// advice: look at the first six bytes). Pyro3 (header <c>!4sHHlHl</c>, versions 2 to 5) speaks first with an
    /// authentication challenge; Pyro4 (24-byte header) and Pyro5 (40-byte header) answer our CONNECT.
    /// </summary>
    public static WireVerdict FromBytes(ReadOnlySpan<byte> reply)
    {
        if (reply.Length >= 6 && reply[..4].SequenceEqual("PYRO"u8))
        {
            int version = BinaryPrimitives.ReadUInt16BigEndian(reply[4..]);
            return version switch
            {
                48 => new(WireKind.Pyro4, version, "Pyro4, protocol 48 (Pyro4 4.38 to 4.82)"),
                47 => new(WireKind.Pyro4, version, "Pyro4, protocol 47 (Pyro4 4.26 to 4.37): older than ours (48), upgrade it"),
                46 => new(WireKind.Pyro4, version, "Pyro4, protocol 46 (Pyro4 4.22 to 4.25): older than ours (48), upgrade it"),
                45 => new(WireKind.Pyro4, version, "Pyro4, protocol 45 (Pyro4 4.20 to 4.21): older than ours (48), upgrade it"),
                >= 40 and < 45 => new(WireKind.Pyro4, version, $"Pyro4, protocol {version} (Pyro4 before 4.20): older than ours (48), upgrade it"),
                502 => new(WireKind.Pyro5, version, "Pyro5, protocol 502"),
                >= 500 and < 600 => new(WireKind.Pyro5, version, $"Pyro5, protocol {version} (not 502: another Pyro5 release)"),
                >= 2 and <= 5 => new(WireKind.Pyro3, version, $"Pyro3, protocol {version}: Pyro3 cannot talk to Pyro4 or Pyro5 clients"),
                _ => new(WireKind.PyroUnknown, version, $"\"PYRO\" with protocol {version}, which no Pyro release used"),
            };
        }
        if (reply.Length >= 5 && reply[..5].SequenceEqual("HTTP/"u8))
        {
            var statusLine = Encoding.ASCII.GetString(reply[..Math.Min(reply.Length, 80)]).Split('\r', '\n')[0];
            return new(WireKind.Http, 0, $"not a Pyro server: an HTTP server ({statusLine})");
        }
        // An HTTP/0.9-style answer has no status line, only the error page (Python's http.server does this).
        if (reply.Length >= 5 && (StartsWithIgnoreCase(reply, "<!DOCTYPE"u8) || StartsWithIgnoreCase(reply, "<html"u8)))
            return new(WireKind.Http, 0, "not a Pyro server: an HTTP server (it answered an HTML page)");
        // TLS record: content type 21 (alert) or 22 (handshake), then version 3.x.
        if (reply.Length >= 3 && reply[0] is 21 or 22 && reply[1] == 3)
            return new(WireKind.Tls, 0, "a TLS server");
        return new(WireKind.NotPyro, 0, $"not a Pyro server: it answered {Show(reply)}");
    }

    private static bool StartsWithIgnoreCase(ReadOnlySpan<byte> bytes, ReadOnlySpan<byte> prefix)
        => bytes.Length >= prefix.Length && Encoding.ASCII.GetString(bytes[..prefix.Length]).Equals(Encoding.ASCII.GetString(prefix), StringComparison.OrdinalIgnoreCase);

    /// <summary>The first bytes as text where printable, as hex otherwise (like <c>od -c</c>).</summary>
    private static string Show(ReadOnlySpan<byte> reply)
    {
        var head = reply[..Math.Min(reply.Length, 16)];
        bool printable = true;
        foreach (var b in head) printable &= b is >= 32 and < 127 or (byte)'\r' or (byte)'\n' or (byte)'\t';
        return printable
            ? "\"" + Encoding.ASCII.GetString(head).Replace("\r", "\\r", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal) + "\""
            : Convert.ToHexString(head).ToLowerInvariant();
    }
}
