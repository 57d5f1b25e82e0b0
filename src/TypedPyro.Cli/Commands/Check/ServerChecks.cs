using System.Collections;
using System.Diagnostics;
using TypedPyro.Serialization;

namespace TypedPyro.Cli.Commands.Check;

/// <summary>
/// Checks made through real proxies once the protocol is known: serializers the daemon accepts, HMAC, the object and
/// its metadata, a ping round trip; for a bare HOST:PORT, the daemon's registered objects.
/// </summary>
internal sealed class ServerChecks(CheckSettings settings, int protocol)
{
    private static readonly string[] SerializerNames = ["serpent", "json", "marshal", "msgpack"];

    private PyroProxyOptions Options(SerializerId serializer) => new()
    {
        Serializer = serializer,
        HmacKey = protocol == 5 ? null : settings.HmacKey,
        Protocol = protocol,
        Timeout = settings.Timeout,
        Config = settings.Config,
    };

    /// <summary>
    /// Connects to the daemon object (<paramref name="daemon"/>, on TCP or a Unix socket) with each serializer: the
    /// handshake is refused for one it does not accept.
    /// </summary>
    public async Task<(bool Usable, List<CheckResult> Results)> SerializersAndHmacAsync(PyroUri daemon, CancellationToken cancellationToken)
    {
        var results = new List<CheckResult>();
        var accepted = new List<string>();
        var refused = new List<string>();
        string? hmacFailure = null;
        var failed = new List<string>();
        string? otherFailure = null;
        foreach (var name in SerializerNames)
        {
            try
            {
                await using var proxy = new PyroProxy(daemon, Options(PyroSerializers.ForName(name).Id));
                await proxy.ConnectAsync(cancellationToken).ConfigureAwait(false);
                accepted.Add(name);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                if (e.Message.Contains("not accepted", StringComparison.OrdinalIgnoreCase)) refused.Add(name);
                else if (e.Message.Contains("hmac", StringComparison.OrdinalIgnoreCase)) hmacFailure ??= e.Message;
                else
                {
                    failed.Add(name);
                    otherFailure ??= e.Message;
                }
            }
        }

        results.Add(HmacResult(hmacFailure));
        if (hmacFailure is not null) return (false, results);
        if (accepted.Count == 0)
        {
            results.Add(CheckResult.Error("serializers", $"no handshake succeeded: {otherFailure ?? "every serializer was refused"}", "see the server's log for why it refuses connections"));
            return (false, results);
        }
        var data = new Dictionary<string, object?> { ["accepted"] = accepted, ["refused"] = refused, ["failed"] = failed };
        string list = $"accepts {string.Join(", ", accepted)}" + (refused.Count > 0 ? $"; refuses {string.Join(", ", refused)}" : "")
            + (failed.Count > 0 ? $"; no handshake with {string.Join(", ", failed)} ({otherFailure})" : "");
        string ours = settings.Config.Serializer;
        results.Add(accepted.Contains(ours)
            ? CheckResult.Ok("serializers", $"{list} (ours: {ours})", data)
            : CheckResult.Error("serializers", $"{list}; ours ({ours}) is not accepted", $"set PYRO_SERIALIZER={accepted[0]}, or add {ours} to the server's SERIALIZERS_ACCEPTED", data));
        return (true, results);
    }

    private CheckResult HmacResult(string? failure)
    {
        bool ours = settings.HmacKey is not null;
        if (protocol == 5)
            return ours ? CheckResult.Warning("hmac", "Pyro5 has no HMAC signing: PYRO_HMAC_KEY is not used with this server", "use TLS (PYRO_SSL) to protect Pyro5 connections")
                        : CheckResult.Ok("hmac", "Pyro5 has no HMAC signing");
        return (failure, ours) switch
        {
            (null, true) => CheckResult.Ok("hmac", "the server accepts our HMAC key (PYRO_HMAC_KEY)"),
            (null, false) => CheckResult.Ok("hmac", "the server demands no HMAC key, and we set none"),
            (_, false) => CheckResult.Error("hmac", $"the server demands an HMAC key ({failure})", "set PYRO_HMAC_KEY to the server's key"),
            _ => CheckResult.Error("hmac", $"the server refuses our HMAC key ({failure})", "set PYRO_HMAC_KEY to the server's key, or unset it if the server has none"),
        };
    }

    /// <summary>Connects to the object: it exists when the handshake (which fetches its metadata) succeeds.</summary>
    public async Task<List<CheckResult>> ObjectAsync(PyroUri uri, CancellationToken cancellationToken)
    {
        var results = new List<CheckResult>();
        await using var proxy = new PyroProxy(uri, Options(PyroSerializers.ForName(settings.Config.Serializer).Id));
        try
        {
            await proxy.ConnectAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Only a bare HOST:PORT lists the daemon's objects: a Unix socket has no such short form.
            string listing = uri.IsUnixSocket ? "" : $"; `typedpyro check {uri.Location}` lists the daemon's objects";
            results.Add(CheckResult.Error("object", $"{uri.Object}: {e.Message}", "check the object id" + listing));
            return results;
        }
        results.Add(CheckResult.Ok("object", $"{uri.Object} exists"));
        if (proxy.Metadata is { } meta) results.Add(MetadataResult(meta));
        results.Add(await PingAsync(proxy, cancellationToken).ConfigureAwait(false));
        return results;
    }

    /// <summary>The daemon object's <c>registered()</c>: what a bare HOST:PORT serves.</summary>
    public async Task<List<CheckResult>> DaemonAsync(PyroUri daemon, CancellationToken cancellationToken)
    {
        var results = new List<CheckResult>();
        await using var proxy = new PyroProxy(daemon, Options(PyroSerializers.ForName(settings.Config.Serializer).Id));
        try
        {
            var registered = await proxy.InvokeAsync("registered", cancellationToken: cancellationToken).ConfigureAwait(false);
            var ids = registered is IEnumerable items and not string ? items.Cast<object?>().Select(i => i?.ToString() ?? "").Order(StringComparer.Ordinal).ToList() : [];
            results.Add(CheckResult.Ok("objects", $"{ids.Count} registered: {string.Join(", ", ids)}", new Dictionary<string, object?> { ["ids"] = ids }));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            results.Add(CheckResult.Warning("objects", $"the daemon did not list its objects: {e.Message}", "call a URI of one of its objects instead"));
        }
        results.Add(await PingAsync(proxy, cancellationToken).ConfigureAwait(false));
        return results;
    }

    private static CheckResult MetadataResult(PyroObjectMetadata meta)
    {
        static string Names(IEnumerable<string> names) => names.Any() ? string.Join(", ", names.Order(StringComparer.Ordinal)) : "none";
        var data = new Dictionary<string, object?>
        {
            ["methods"] = meta.Methods.Order(StringComparer.Ordinal).ToList(),
            ["oneway"] = meta.Oneway.Order(StringComparer.Ordinal).ToList(),
            ["attrs"] = meta.Attributes.Order(StringComparer.Ordinal).ToList(),
        };
        string text = $"methods {Names(meta.Methods)}; oneway {Names(meta.Oneway)}; attributes {Names(meta.Attributes)}";
        return meta.IsEmpty
            ? CheckResult.Warning("metadata", "the object exposes nothing", "expose its members (@Pyro4.expose in Python, an [Expose] interface in .NET)", data)
            : CheckResult.Ok("metadata", text, data);
    }

    /// <summary>Best of three pings (a PING message, answered by the daemon without calling any object).</summary>
    private static async Task<CheckResult> PingAsync(PyroProxy proxy, CancellationToken cancellationToken)
    {
        try
        {
            double best = double.MaxValue;
            for (int i = 0; i < 3; i++)
            {
                long start = Stopwatch.GetTimestamp();
                await proxy.PingAsync(cancellationToken).ConfigureAwait(false);
                best = Math.Min(best, Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            }
            return CheckResult.Ok("ping", $"{best:0.###} ms round trip (best of 3)", new Dictionary<string, object?> { ["ms"] = Math.Round(best, 3) });
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return CheckResult.Error("ping", e.Message, "see the server's log");
        }
    }
}
