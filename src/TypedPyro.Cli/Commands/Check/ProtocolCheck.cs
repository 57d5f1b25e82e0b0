using System.Net;
using System.Net.Sockets;

namespace TypedPyro.Cli.Commands.Check;

/// <summary>What the protocol probes found: the verdict (null when nothing Pyro-like answered) and whether it took TLS.</summary>
internal sealed record ProtocolFinding(WireVerdict? Verdict, bool Tls, bool AlsoPyro5, IReadOnlyList<CheckResult> Results)
{
    /// <summary>4 or 5 when a proxy can talk to the server, 0 otherwise.</summary>
    public int ProxyProtocol => Verdict switch
    {
        { Kind: WireKind.Pyro4, Version: 48 } => 4,
        { Kind: WireKind.Pyro5, Version: 502 } => 5,
        _ => 0,
    };
}

/// <summary>
/// Decides the wire protocol of the server at an endpoint (TCP or Unix socket) from the bytes it answers to a Pyro4
/// CONNECT (and, when it speaks Pyro4, to a Pyro5 CONNECT: our daemons answer both on one socket). Over TCP, tries TLS
/// when the plain probe gets no answer (or PYRO_SSL is on, TLS first).
/// </summary>
internal static class ProtocolCheck
{
    /// <param name="endPoint">Where the server listens.</param>
    /// <param name="location">The endpoint as messages show it: <c>host:port</c> or <c>./u:path</c>.</param>
    /// <param name="host">The host name TLS authenticates; null for a Unix socket.</param>
    public static async Task<ProtocolFinding> RunAsync(EndPoint endPoint, string location, string? host, string objectId, bool ourTls, TimeSpan timeout, CancellationToken cancellationToken)
    {
        // Pyro has no TLS over Unix sockets (PyroProxy and Python refuse it): such a socket is probed in plain only.
        bool unixSocket = endPoint is UnixDomainSocketEndPoint;
        Task<ProbeReply> Probe(byte[] request, bool tls) => WireProbe.SendAsync(endPoint, request, timeout, tls ? host : null, cancellationToken);

        var results = new List<CheckResult>();
        var connect4 = ProbeMessages.Pyro4Connect(objectId);
        bool tls = ourTls && !unixSocket;
        var first = await Probe(connect4, tls).ConfigureAwait(false);
        if (!unixSocket && (first.Outcome == ProbeOutcome.ClosedSilently || (first.Outcome == ProbeOutcome.Answered && WireVerdict.FromBytes(first.Bytes).Kind == WireKind.Tls)))
        {
            // No answer in our mode (or a TLS alert): try the other one.
            var other = await Probe(connect4, !tls).ConfigureAwait(false);
            if (other.Outcome == ProbeOutcome.Answered && WireVerdict.FromBytes(other.Bytes).Kind != WireKind.Tls)
            {
                first = other;
                tls = !tls;
            }
        }

        var failure = first.Outcome switch
        {
            ProbeOutcome.Refused => CheckResult.Error("protocol", $"nothing listens on {location} (connection refused)",
                unixSocket ? "start the server (a stopped daemon may leave its socket file behind), or correct the path" : "start the server, or correct the host and port"),
            ProbeOutcome.ConnectTimeout => CheckResult.Error("protocol", $"no connection to {location} within {timeout.TotalSeconds:0.#} s", "check the address; a firewall may drop the packets"),
            ProbeOutcome.Failed => CheckResult.Error("protocol", $"cannot connect to {location}: {first.Detail}", "check the address and the network"),
            ProbeOutcome.Silent => CheckResult.Error("protocol", $"{location} accepts connections but never answered a Pyro CONNECT (waited {timeout.TotalSeconds:0.#} s): not a Pyro server, or a stuck one",
                "check that the port is the Pyro daemon's; a Pyro daemon answers every CONNECT at once"),
            ProbeOutcome.ClosedSilently => CheckResult.Error("protocol", $"{location} closed the connection without answering{(unixSocket ? "" : ", with and without TLS")}: not a Pyro server",
                "check that the port is the Pyro daemon's; a Pyro daemon answers a CONNECT it cannot accept with CONNECTFAIL"),
            _ => null,
        };
        if (failure is not null)
        {
            results.Add(failure);
            return new ProtocolFinding(null, tls, false, results);
        }

        var verdict = WireVerdict.FromBytes(first.Bytes);
        bool alsoPyro5 = false;
        if (verdict is { Kind: WireKind.Pyro4, Version: 48 })
        {
            var second = await Probe(ProbeMessages.Pyro5Connect(objectId), tls).ConfigureAwait(false);
            alsoPyro5 = second.Outcome == ProbeOutcome.Answered && WireVerdict.FromBytes(second.Bytes) is { Kind: WireKind.Pyro5, Version: 502 };
        }
        var data = new Dictionary<string, object?> { ["kind"] = verdict.Kind.ToString().ToLowerInvariant(), ["version"] = verdict.Version, ["tls"] = tls };
        if (alsoPyro5) data["also"] = 502;
        string message = verdict.Description + (alsoPyro5 ? $", and Pyro5 (protocol 502) on the same {(unixSocket ? "socket" : "port")}" : "") + (tls ? ", over TLS" : "");
        results.Add(verdict switch
        {
            { Kind: WireKind.Pyro4, Version: 48 } or { Kind: WireKind.Pyro5, Version: 502 } => CheckResult.Ok("protocol", message, data),
            { Kind: WireKind.Pyro4 } => CheckResult.Error("protocol", message, "upgrade the server to Pyro4 4.38 or newer (protocol 48)", data),
            { Kind: WireKind.Pyro5 } => CheckResult.Error("protocol", message, "upgrade client and server to a Pyro5 that speaks protocol 502", data),
            { Kind: WireKind.Pyro3 } => CheckResult.Error("protocol", message, "port the server to Pyro4 or Pyro5", data),
            { Kind: WireKind.Tls } => CheckResult.Error("protocol", $"{location} is a TLS server that answered no Pyro CONNECT", "check that the port is the Pyro daemon's", data),
            _ => CheckResult.Error("protocol", message, "check that the port is the Pyro daemon's (an HTTP gateway or web server is not)", data),
        });
        if (verdict.Kind is WireKind.Pyro4 or WireKind.Pyro5) results.Add(unixSocket ? UnixSocketTlsResult(ourTls) : TlsResult(tls, ourTls));
        return new ProtocolFinding(verdict, tls, alsoPyro5, results);
    }

    /// <summary>PYRO_SSL on makes a proxy refuse a Unix socket URI, so the later checks could not connect.</summary>
    private static CheckResult UnixSocketTlsResult(bool ourTls) => ourTls
        ? CheckResult.Error("tls", "PYRO_SSL is on, but Pyro has no TLS over Unix domain sockets", "unset PYRO_SSL to talk to this server")
        : CheckResult.Ok("tls", "a Unix domain socket, no TLS (Pyro has none over Unix sockets)");

    private static CheckResult TlsResult(bool serverTls, bool ourTls) => (serverTls, ourTls) switch
    {
        (true, true) => CheckResult.Ok("tls", "the server speaks TLS, and so do we (PYRO_SSL is on)"),
        (true, false) => CheckResult.Error("tls", "the server demands TLS, but PYRO_SSL is off", "set PYRO_SSL=1, and PYRO_SSL_CACERTS to the CA that signed its certificate"),
        (false, true) => CheckResult.Error("tls", "PYRO_SSL is on, but the server speaks plain TCP", "unset PYRO_SSL, or start the server with PYRO_SSL=1 and a certificate"),
        _ => CheckResult.Ok("tls", "plain TCP on both sides (no TLS)"),
    };
}
