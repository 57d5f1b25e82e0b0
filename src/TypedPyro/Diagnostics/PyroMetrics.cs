using System.Diagnostics;
using System.Diagnostics.Metrics;
using TypedPyro.Protocol;

namespace TypedPyro;

/// <summary>
/// The <c>TypedPyro</c> <see cref="Meter"/>: calls, call durations, bytes, open connections, oneway calls and errors,
/// on the client (<c>rpc.client.*</c>, <c>pyro.client.*</c>) and the daemon side (<c>rpc.server.*</c>,
/// <c>pyro.server.*</c>), tagged after OpenTelemetry's RPC conventions (<c>rpc.system</c> = <c>pyro</c>,
/// <c>rpc.service</c> = the object id, <c>rpc.method</c>, <c>error.type</c>).
/// </summary>
/// <remarks>
/// Every hook first reads its instrument's <see cref="Instrument.Enabled"/>: without a listener a call pays one field
/// read per hook, and nothing is allocated (the tags are a <see cref="TagList"/> on the stack) even with one.
/// </remarks>
public static class PyroMetrics
{
    /// <summary>The meter's name (the same as the activity source's, <see cref="PyroTelemetry.SourceName"/>).</summary>
    public const string MeterName = "TypedPyro";

    /// <summary>The meter.</summary>
    public static Meter Meter { get; } = new(MeterName, "0.1.0");

    private static readonly Counter<long> ClientCalls = Meter.CreateCounter<long>("pyro.client.calls", "{call}", "Calls sent by proxies.");
    private static readonly Counter<long> ClientOneway = Meter.CreateCounter<long>("pyro.client.oneway_calls", "{call}", "Oneway calls sent by proxies.");
    private static readonly Histogram<double> ClientDuration = Meter.CreateHistogram<double>("rpc.client.call.duration", "s", "Duration of calls made by proxies, until the reply (oneway: until sent).");
    private static readonly Counter<long> ClientErrors = Meter.CreateCounter<long>("pyro.client.errors", "{error}", "Failed calls seen by proxies, by error.type.");
    private static readonly Counter<long> ClientBytesSent = Meter.CreateCounter<long>("pyro.client.bytes_sent", "By", "Request bytes written by proxies.");
    private static readonly Counter<long> ClientBytesReceived = Meter.CreateCounter<long>("pyro.client.bytes_received", "By", "Reply bytes read by proxies.");
    private static readonly UpDownCounter<long> ClientConnections = Meter.CreateUpDownCounter<long>("pyro.client.connections", "{connection}", "Open proxy connections.");

    private static readonly Counter<long> ServerCalls = Meter.CreateCounter<long>("pyro.server.calls", "{call}", "Calls received by daemons.");
    private static readonly Counter<long> ServerOneway = Meter.CreateCounter<long>("pyro.server.oneway_calls", "{call}", "Oneway calls received by daemons.");
    private static readonly Histogram<double> ServerDuration = Meter.CreateHistogram<double>("rpc.server.call.duration", "s", "Duration of calls served by daemons.");
    private static readonly Counter<long> ServerErrors = Meter.CreateCounter<long>("pyro.server.errors", "{error}", "Calls that failed in daemons, by error.type.");
    private static readonly Counter<long> ServerBytesReceived = Meter.CreateCounter<long>("pyro.server.bytes_received", "By", "Request bytes read by daemons.");
    private static readonly Counter<long> ServerBytesSent = Meter.CreateCounter<long>("pyro.server.bytes_sent", "By", "Reply bytes written by daemons.");
    private static readonly UpDownCounter<long> ServerConnections = Meter.CreateUpDownCounter<long>("pyro.server.connections", "{connection}", "Open client connections of daemons.");

    private static TagList Tags(string service, string method) => new()
    {
        { "rpc.system", "pyro" },
        { "rpc.service", service },
        { "rpc.method", method },
    };

    /// <summary>A start time for <see cref="ClientCallEnded"/>/<see cref="ServerCallEnded"/>; 0 when nobody measures durations.</summary>
    internal static long ClientStart() => ClientDuration.Enabled ? Stopwatch.GetTimestamp() : 0;

    internal static long ServerStart() => ServerDuration.Enabled ? Stopwatch.GetTimestamp() : 0;

    internal static void ClientRequest(string service, string method, bool oneway, long bytes)
    {
        if (ClientCalls.Enabled) ClientCalls.Add(1, Tags(service, method));
        if (oneway && ClientOneway.Enabled) ClientOneway.Add(1, Tags(service, method));
        if (ClientBytesSent.Enabled) ClientBytesSent.Add(bytes, new KeyValuePair<string, object?>("rpc.system", "pyro"));
    }

    internal static void ClientReply(PyroMessage reply)
    {
        if (ClientBytesReceived.Enabled) ClientBytesReceived.Add(WireSize(reply), new KeyValuePair<string, object?>("rpc.system", "pyro"));
    }

    internal static void ClientCallEnded(long started, string? service, string method)
    {
        if (started == 0 || service is null || !ClientDuration.Enabled) return;
        ClientDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, Tags(service, method));
    }

    internal static void ClientFailed(string? service, Exception error)
    {
        if (!ClientErrors.Enabled) return;
        ClientErrors.Add(1, new TagList { { "rpc.system", "pyro" }, { "rpc.service", service ?? "" }, { "error.type", ErrorType(error) } });
    }

    internal static void ClientConnectionOpened()
    {
        if (ClientConnections.Enabled) ClientConnections.Add(1, new KeyValuePair<string, object?>("rpc.system", "pyro"));
    }

    internal static void ClientConnectionClosed()
    {
        if (ClientConnections.Enabled) ClientConnections.Add(-1, new KeyValuePair<string, object?>("rpc.system", "pyro"));
    }

    internal static void ServerRequest(PyroMessage request)
    {
        if (ServerBytesReceived.Enabled) ServerBytesReceived.Add(WireSize(request), new KeyValuePair<string, object?>("rpc.system", "pyro"));
    }

    internal static void ServerCall(string service, string method, bool oneway)
    {
        if (ServerCalls.Enabled) ServerCalls.Add(1, Tags(service, method));
        if (oneway && ServerOneway.Enabled) ServerOneway.Add(1, Tags(service, method));
    }

    internal static void ServerCallEnded(long started, string service, string method, Exception? error)
    {
        if (error is not null && ServerErrors.Enabled)
        {
            var tags = Tags(service, method);
            tags.Add("error.type", ErrorType(error));
            ServerErrors.Add(1, tags);
        }
        if (started == 0 || !ServerDuration.Enabled) return;
        var durationTags = Tags(service, method);
        if (error is not null) durationTags.Add("error.type", ErrorType(error));
        ServerDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, durationTags);
    }

    internal static void ServerBytesWritten(long bytes)
    {
        if (ServerBytesSent.Enabled) ServerBytesSent.Add(bytes, new KeyValuePair<string, object?>("rpc.system", "pyro"));
    }

    internal static void ServerConnectionOpened()
    {
        if (ServerConnections.Enabled) ServerConnections.Add(1, new KeyValuePair<string, object?>("rpc.system", "pyro"));
    }

    internal static void ServerConnectionClosed()
    {
        if (ServerConnections.Enabled) ServerConnections.Add(-1, new KeyValuePair<string, object?>("rpc.system", "pyro"));
    }

    /// <summary>OpenTelemetry's error.type: the exception's full type name (a remote one's Python class when known).</summary>
    private static string ErrorType(Exception error)
        => error is RemoteException { RemoteTypeName: { } remote } ? remote : error.GetType().FullName ?? error.GetType().Name;

    /// <summary>A message's size on the wire: header, annotations (key, length, value) and payload.</summary>
    private static long WireSize(PyroMessage message)
    {
        long size = MessageHeader.Size + message.Payload.Length;
        foreach (var annotation in message.Annotations) size += 6 + annotation.Value.Length;
        return size;
    }
}
