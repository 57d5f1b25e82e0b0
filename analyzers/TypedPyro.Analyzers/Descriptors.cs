using Microsoft.CodeAnalysis;

namespace TypedPyro.Analyzers;

/// <summary>
/// Every TypedPyro diagnostic. Ids group by area: TPY1xxx exposure, TPY2xxx contract shapes the source generator
/// skips, TPY3xxx wire types, TPY4xxx call graphs, TPY5xxx security, TPY6xxx resources.
/// Each id has a page docs/diagnostics/TPYnnnn.md and a line in AnalyzerReleases.Unshipped.md.
/// </summary>
internal static class Descriptors
{
    public const string HelpLinkBase = "https://github.com/typedpyro/typedpyro/blob/main/docs/diagnostics/";

    private const string Design = "Design";
    private const string Usage = "Usage";
    private const string Reliability = "Reliability";
    private const string Performance = "Performance";
    private const string Security = "Security";

    public static readonly DiagnosticDescriptor ClassExposed = new(
        "TPY1001",
        "Expose an interface, not a class",
        "Class '{0}' is marked [Expose]: classes are never exposed as a whole; put [Expose] on an interface the class implements{1}",
        Design, DiagnosticSeverity.Warning, isEnabledByDefault: true,
        description: "Pyro's guidance is to expose as little as possible. TypedPyro contracts are interfaces: the generator ignores [Expose] on classes, so nothing of the class is remote.",
        helpLinkUri: HelpLinkBase + "TPY1001.md");

    public static readonly DiagnosticDescriptor InheritedMembersLeak = new(
        "TPY1002",
        "Members of a non-remote interface leak into an [Expose] contract",
        "[Expose] interface '{0}' extends '{1}', which is not an [Expose] contract: its members ({2}) become remote too",
        Design, DiagnosticSeverity.Warning, isEnabledByDefault: true,
        description: "Every member of an [Expose] interface and of the interfaces it extends is remote. Extending IDisposable or another local interface makes Dispose and friends callable by any client. Implement that interface on the class instead, or mark the single remote members [Expose].",
        helpLinkUri: HelpLinkBase + "TPY1002.md");

    public static readonly DiagnosticDescriptor PrivateWireName = new(
        "TPY1003",
        "Remote member has a private wire name",
        "Remote member '{0}' has the wire name '{1}', which is private by Pyro's rules: Pyro never calls it remotely",
        Design, DiagnosticSeverity.Warning, isEnabledByDefault: true,
        description: "Pyro treats names that start with an underscore (except public dunder names such as __len__) as private and refuses to call them. Give the member a public wire name or remove [Expose].",
        helpLinkUri: HelpLinkBase + "TPY1003.md");

    public static readonly DiagnosticDescriptor GenericMethod = new(
        "TPY2001",
        "Generic methods cannot be remote",
        "Remote method '{0}' is generic: the source generator skips it",
        Usage, DiagnosticSeverity.Error, isEnabledByDefault: true,
        description: "Python has no generic methods and the wire carries no type arguments. Declare one method per concrete type.",
        helpLinkUri: HelpLinkBase + "TPY2001.md");

    public static readonly DiagnosticDescriptor GenericContract = new(
        "TPY2002",
        "Open generic interfaces cannot be remote contracts",
        "Interface '{0}' is generic: the source generator skips open generic contracts",
        Usage, DiagnosticSeverity.Error, isEnabledByDefault: true,
        description: "A proxy and a dispatcher are generated per contract interface; a generic interface has no single wire shape. Declare a non-generic interface that extends a closed construction of it.",
        helpLinkUri: HelpLinkBase + "TPY2002.md");

    public static readonly DiagnosticDescriptor ByRefParameter = new(
        "TPY2003",
        "ref, out and in parameters cannot be remote",
        "Parameter '{0}' of remote method '{1}' is '{2}': the source generator skips the method",
        Usage, DiagnosticSeverity.Error, isEnabledByDefault: true,
        description: "Arguments travel one way, by value. Return the values instead (a [PyroDto] record or a PyTuple).",
        helpLinkUri: HelpLinkBase + "TPY2003.md");

    public static readonly DiagnosticDescriptor OnewayWithResult = new(
        "TPY2004",
        "[Oneway] methods cannot have a result",
        "[Oneway] method '{0}' returns '{1}': a oneway call never gets a reply; return void, Task or ValueTask",
        Usage, DiagnosticSeverity.Error, isEnabledByDefault: true,
        description: "A oneway call sends no reply message, so there is no result and no exception to wait for.",
        helpLinkUri: HelpLinkBase + "TPY2004.md");

    public static readonly DiagnosticDescriptor CancellationTokenNotLast = new(
        "TPY2005",
        "CancellationToken must be the last parameter of a remote method",
        "CancellationToken parameter '{0}' of remote method '{1}' is not the last parameter: the source generator skips the method",
        Usage, DiagnosticSeverity.Error, isEnabledByDefault: true,
        description: "A CancellationToken never crosses the wire; the generator recognizes it only as the last parameter.",
        helpLinkUri: HelpLinkBase + "TPY2005.md");

    public static readonly DiagnosticDescriptor DuplicateWireName = new(
        "TPY2006",
        "Two remote members have the same wire name",
        "Remote member '{0}' has the wire name '{1}', which '{2}' also has in contract '{3}'",
        Usage, DiagnosticSeverity.Error, isEnabledByDefault: true,
        description: "Python has no overloads: one wire name is one member. Wire names come from [PyroName], else from the naming policy applied to the C# name without its Async suffix.",
        helpLinkUri: HelpLinkBase + "TPY2006.md");

    public static readonly DiagnosticDescriptor NotCrossable = new(
        "TPY3001",
        "Type cannot cross the wire",
        "'{0}' in remote member '{1}' cannot cross the wire: {2}",
        Usage, DiagnosticSeverity.Error, isEnabledByDefault: true,
        description: "Only the types of docs/type-mapping.md, [PyroDto] types and [Expose] interfaces (as callback proxies) travel between .NET and Python.",
        helpLinkUri: HelpLinkBase + "TPY3001.md");

    public static readonly DiagnosticDescriptor NotJsonCrossable = new(
        "TPY3002",
        "Type cannot cross the wire with the json serializer",
        "'{0}' in remote member '{1}' cannot cross the wire with the json serializer: {2}",
        Usage, DiagnosticSeverity.Error, isEnabledByDefault: true,
        description: "Reported when the project declares <TypedPyroSerializer>json</TypedPyroSerializer>: Pyro4's json serializer has no binary data, complex numbers or time spans.",
        helpLinkUri: HelpLinkBase + "TPY3002.md");

    public static readonly DiagnosticDescriptor LargeBinaryPayload = new(
        "TPY3003",
        "Consider a remote iterator for binary data",
        "{0} of remote member '{1}' is '{2}': large binary data travels in one message; consider streaming chunks (IEnumerable<byte[]> or IAsyncEnumerable<byte[]>)",
        Performance, DiagnosticSeverity.Info, isEnabledByDefault: true,
        description: "A whole buffer is serialized (serpent: base64) into one message, held in memory on both sides and limited by MAX_MESSAGE_SIZE. A remote iterator streams it in chunks.",
        helpLinkUri: HelpLinkBase + "TPY3003.md");

    public static readonly DiagnosticDescriptor CircularCalls = new(
        "TPY4001",
        "Circular remote calls without a oneway link",
        "Remote calls go round in a circle with no [Oneway] link: {0}; the circle can deadlock",
        Reliability, DiagnosticSeverity.Warning, isEnabledByDefault: true,
        description: "Code serving one contract calls a proxy of another, which calls back. A proxy serves one call at a time and a daemon worker waits for its own call's reply, so the circle can wait forever. Make one link [Oneway], use a new proxy per callback, or set COMMTIMEOUT.",
        helpLinkUri: HelpLinkBase + "TPY4001.md",
        customTags: WellKnownDiagnosticTags.CompilationEnd);

    public static readonly DiagnosticDescriptor InsecureSerializer = new(
        "TPY5001",
        "Insecure serializer",
        "Serializer '{0}' lets the sender run code on the receiver: use serpent, json or msgpack",
        Security, DiagnosticSeverity.Error, isEnabledByDefault: true,
        description: "pickle, dill and cloudpickle rebuild objects by calling whatever the message names. TypedPyro never implements them; configuring them is a mistake at best.",
        helpLinkUri: HelpLinkBase + "TPY5001.md");

    public static readonly DiagnosticDescriptor MarshalSerializer = new(
        "TPY5002",
        "marshal ties both sides to one Python version",
        "Serializer 'marshal' ties both peers to one Python version and carries only built-in types: prefer serpent",
        Security, DiagnosticSeverity.Warning, isEnabledByDefault: true,
        description: "Python's marshal format changes between Python versions and is not meant for untrusted data.",
        helpLinkUri: HelpLinkBase + "TPY5002.md");

    public static readonly DiagnosticDescriptor HardCodedHmacKey = new(
        "TPY5003",
        "HMAC key in source code",
        "The HMAC key for '{0}' is built from a literal: read it from the environment variable PYRO_HMAC_KEY instead",
        Security, DiagnosticSeverity.Warning, isEnabledByDefault: true,
        description: "A key in source code ends up in the repository and in every build. Read it from PYRO_HMAC_KEY (as the typedpyro tool does) or from a secret store.",
        helpLinkUri: HelpLinkBase + "TPY5003.md");

    public static readonly DiagnosticDescriptor UnprotectedNetworkDaemon = new(
        "TPY5004",
        "Daemon reachable from the network without TLS or HMAC",
        "The daemon binds to '{0}', which other machines can reach, with neither Tls nor HmacKey set: anyone who reaches the port can call it, and every call travels in clear text",
        Security, DiagnosticSeverity.Warning, isEnabledByDefault: true,
        description: "A Pyro daemon runs whatever exposed call reaches its port. Bound to a non-loopback address, it needs TLS (PyroDaemonOptions.Tls, or PYRO_SSL through Config), ideally with client certificates, or at least an HMAC key read from the environment.",
        helpLinkUri: HelpLinkBase + "TPY5004.md");

    public static readonly DiagnosticDescriptor ProxyNotReleased = new(
        "TPY6001",
        "Proxy is never released",
        "Proxy '{0}' is never disposed, returned, stored or passed on: its connection stays open",
        Reliability, DiagnosticSeverity.Warning, isEnabledByDefault: true,
        description: "Each proxy holds a connection and a daemon worker thread. Pyro warns that after a number of simultaneous proxy connections the daemon stops answering. Dispose proxies with using.",
        helpLinkUri: HelpLinkBase + "TPY6001.md");
}
