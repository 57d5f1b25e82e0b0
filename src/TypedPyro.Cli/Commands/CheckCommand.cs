using System.CommandLine;
using System.Net;
using TypedPyro.Cli.Commands.Check;
using TypedPyro.Naming;

namespace TypedPyro.Cli.Commands;

/// <summary>
/// <c>typedpyro check [TARGET]</c>: Pyro's troubleshooting checklist, run for you. TARGET is a PYRO:/PYRONAME: URI
/// (on TCP or a Unix socket), HOST:PORT, or nothing for this machine's setup. One line per check (ok, warning, error
/// with its fix); exit 0 only when nothing is an error.
/// </summary>
internal static class CheckCommand
{
    /// <summary>Exit code when a check found an error.</summary>
    public const int CheckFailed = 1;
    /// <summary>Exit code for an unparsable TARGET.</summary>
    public const int UsageError = 2;

    public static Command Create()
    {
        var target = new Argument<string?>("target") { Description = "PYRO:obj@host:port, PYRO:obj@./u:socketpath, PYRONAME:name, HOST:PORT, or nothing for the local setup", Arity = ArgumentArity.ZeroOrOne };
        var json = new Option<bool>("--json") { Description = "print one JSON document instead of lines" };
        var timeout = new Option<double>("--timeout", "-t") { Description = "seconds to wait at each step", DefaultValueFactory = _ => 3 };
        var command = new Command("check", "Check a Pyro server (wire protocol, TLS, HMAC, serializers, object, ping) or the local setup (DNS, NAT, name servers).")
        {
            target, json, timeout,
        };
        command.SetAction((result, cancellationToken) => RunAsync(result.GetValue(target), result.GetValue(json), result.GetValue(timeout),
            PyroConfig.FromEnvironment(), Secrets.HmacKeyFromEnvironment(), Console.Out, Console.Error, cancellationToken));
        return command;
    }

    public static async Task<int> RunAsync(string? targetText, bool json, double timeoutSeconds, PyroConfig config, byte[]? hmacKey,
        TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        CheckTarget target;
        try
        {
            target = CheckTarget.Parse(targetText);
        }
        catch (ArgumentException e)
        {
            error.WriteLine($"error: {e.Message}");
            return UsageError;
        }
        if (timeoutSeconds <= 0 || double.IsNaN(timeoutSeconds))
        {
            error.WriteLine("error: --timeout must be a positive number of seconds");
            return UsageError;
        }
        var settings = new CheckSettings(config, hmacKey, TimeSpan.FromSeconds(timeoutSeconds));
        var results = new List<CheckResult>();
        await RunChecksAsync(target, settings, results, cancellationToken).ConfigureAwait(false);
        if (json) CheckReport.WriteJson(output, targetText ?? "", results);
        else CheckReport.WriteText(output, results);
        return results.Any(r => r.Status == CheckStatus.Error) ? CheckFailed : 0;
    }

    private static async Task RunChecksAsync(CheckTarget target, CheckSettings settings, List<CheckResult> results, CancellationToken cancellationToken)
    {
        bool remote = target.Host is { } h && !IsLoopbackName(h);
        results.Add(await LocalChecks.HostnameAsync(remote || target.IsLocal, settings.Timeout, cancellationToken).ConfigureAwait(false));
        results.Add(LocalChecks.Nat(settings.Config));
        if (target.IsLocal)
        {
            results.Add(settings.HmacKey is null ? CheckResult.Ok("hmac", "PYRO_HMAC_KEY is not set") : CheckResult.Ok("hmac", "PYRO_HMAC_KEY is set"));
            results.AddRange(await LocalChecks.NameServerAsync(settings, cancellationToken).ConfigureAwait(false));
            return;
        }

        var uri = target.Uri;
        if (uri is not null && uri.Protocol != PyroUriProtocol.Pyro)
        {
            // PYRONAME/PYROMETA: the name server says where the object is.
            try
            {
                var options = new PyroProxyOptions { HmacKey = settings.HmacKey, Timeout = settings.Timeout, Config = settings.Config };
                using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                deadline.CancelAfter(settings.Timeout * 3);
                var resolved = await NameServerLocator.ResolveAsync(uri, options, deadline.Token).ConfigureAwait(false);
                results.Add(CheckResult.Ok("name", $"{uri} is {resolved}"));
                uri = resolved;
            }
            catch (Exception e) when (e is PyroException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
            {
                results.Add(CheckResult.Error("name", $"cannot resolve {uri}: {(e is OperationCanceledException ? "timeout" : e.Message)}",
                    "check the name (typedpyro nsc list), and PYRO_NS_HOST/PYRO_NS_PORT"));
                return;
            }
        }

        // The daemon object's URI says where the server listens (TCP or a Unix socket); the handshake checks talk to it.
        var daemon = uri?.WithObject(PyroNames.DaemonObjectId) ?? target.Daemon!;
        var (endPoint, located) = await LocalChecks.ServerEndPointAsync(daemon, settings.Timeout, cancellationToken).ConfigureAwait(false);
        results.Add(located);
        if (endPoint is null) return;

        var protocol = await ProtocolCheck.RunAsync(endPoint, daemon.Location!, daemon.Host, uri?.Object ?? PyroNames.DaemonObjectId, settings.Config.Ssl, settings.Timeout, cancellationToken).ConfigureAwait(false);
        results.AddRange(protocol.Results);
        if (protocol.ProxyProtocol == 0 || protocol.Tls != settings.Config.Ssl) return;

        var server = new ServerChecks(settings, protocol.ProxyProtocol);
        var (usable, handshake) = await server.SerializersAndHmacAsync(daemon, cancellationToken).ConfigureAwait(false);
        results.AddRange(handshake);
        if (!usable) return;
        results.AddRange(uri is not null
            ? await server.ObjectAsync(uri, cancellationToken).ConfigureAwait(false)
            : await server.DaemonAsync(daemon, cancellationToken).ConfigureAwait(false));
    }

    private static bool IsLoopbackName(string host)
        => host is "localhost" || (IPAddress.TryParse(host, out var ip) && IPAddress.IsLoopback(ip));
}
