using System.Collections;
using System.Numerics;
using TypedPyro.Serialization;

namespace TypedPyro.Naming;

/// <summary>
/// The remote surface of <see cref="NameServer"/>: Python's method names, argument binding, result shapes and type
/// errors, over the untyped object model. Kept apart from the logic so a generated <c>[Expose]</c> contract can
/// replace it without touching <see cref="NameServer"/>.
/// </summary>
public static class NameServerDispatcher
{
    /// <summary>The exposed methods, as Python's name server reports them.</summary>
    public static IReadOnlyList<string> MethodNames { get; } = ["remove", "count", "list", "register", "lookup", "ping", "set_metadata"];

    /// <summary>
    /// Creates the dispatcher to register under <see cref="NameServer.ObjectId"/>. Pyro5 clients of the same daemon get
    /// Pyro5's surface of the same name server (<see cref="Pyro5NameServerDispatcher"/>).
    /// </summary>
    public static IPyroDispatcher Create(NameServer nameServer)
    {
        ArgumentNullException.ThrowIfNull(nameServer);
        var pyro4 = new PyroObjectBuilder(NameServer.TypeName)
            .Method("register", call => Register(nameServer, call))
            .Method("lookup", call =>
            {
                var (registration, withMetadata) = Lookup(nameServer, call);
                return withMetadata ? new PyTuple(registration.ParsedUri, registration.MetadataList()) : registration.ParsedUri;
            })
            .Method("list", call =>
            {
                call.ExpectAtMost(5, "prefix", "regex", "metadata_all", "metadata_any", "return_metadata");
                var prefix = call.Arg(0, "prefix", optional: true);
                var regex = call.Arg(1, "regex", optional: true);
                var all = call.Arg(2, "metadata_all", optional: true);
                var any = call.Arg(3, "metadata_any", optional: true);
                bool withMetadata = IsTruthy(call.Arg(4, "return_metadata", optional: true, defaultValue: false));
                var result = List(nameServer, prefix, regex, all, any);
                var map = new Dictionary<object, object?>(result.Count);
                foreach (var r in result) map[r.Name] = withMetadata ? new PyTuple(r.Uri, r.MetadataList()) : r.Uri;
                return map;
            })
            .Method("remove", call =>
            {
                var (name, prefix, regex) = RemoveArgs(call);
                // A name that is not a str is never registered; Python then goes on to the prefix and regex.
                return (long)nameServer.Remove(name as string, prefix, regex);
            })
            .Method("set_metadata", call => SetMetadata(nameServer, call))
            .Method("count", call => Count(nameServer, call))
            .Method("ping", call => Ping(nameServer, call))
            .Build();
        return new WithPyro5(pyro4, Pyro5NameServerDispatcher.Create(nameServer));
    }

    /// <summary>The Pyro4 surface, with the Pyro5 one beside it for the daemon's Pyro5 connections.</summary>
    private sealed class WithPyro5(IPyroDispatcher pyro4, IPyroDispatcher pyro5) : IPyroDispatcher, IPyro5Variant
    {
        public IPyroDispatcher Pyro5 => pyro5;
        public string TypeName => pyro4.TypeName;
        public PyroObjectMetadata Metadata => pyro4.Metadata;
        public ValueTask<object?> InvokeAsync(PyroInvocation invocation) => pyro4.InvokeAsync(invocation);
        public ValueTask<object?> GetAttributeAsync(string name, PyroCallContext context) => pyro4.GetAttributeAsync(name, context);
        public ValueTask SetAttributeAsync(string name, object? value, PyroCallContext context) => pyro4.SetAttributeAsync(name, value, context);
    }

    // The methods both protocols' name servers have alike, argument checks and all.

    internal static object? Register(NameServer nameServer, PyroInvocation call)
    {
        call.ExpectAtMost(4, "name", "uri", "safe", "metadata");
        var name = call.Arg(0, "name");
        var uri = call.Arg(1, "uri");
        bool safe = IsTruthy(call.Arg(2, "safe", optional: true, defaultValue: false));
        var metadataArg = call.Arg(3, "metadata", optional: true);
        // Python's order of checks: the URI, the name, then the metadata.
        PyroUri? uriObject = uri is IDictionary ? PyroUri.FromWireValue(uri) : uri as PyroUri;
        if (uriObject is null && uri is not string) throw new ArgumentTypeException("only URIs or strings can be registered");
        if (name is not string nameText) throw new ArgumentTypeException("name must be a str");
        var metadata = ToTags(metadataArg, "metadata");
        if (uriObject is not null) nameServer.Register(nameText, uriObject, safe, metadata);
        else nameServer.Register(nameText, (string)uri!, safe, metadata);
        return null;
    }

    internal static (NameRegistration Registration, bool WithMetadata) Lookup(NameServer nameServer, PyroInvocation call)
    {
        call.ExpectAtMost(2, "name", "return_metadata");
        var name = LookupName(call.Arg(0, "name"));
        bool withMetadata = IsTruthy(call.Arg(1, "return_metadata", optional: true, defaultValue: false));
        return (nameServer.LookupRegistration(name), withMetadata);
    }

    /// <summary>remove()'s arguments: the name as given (checked for hashability), the prefix and regex as text.</summary>
    internal static (object? Name, string? Prefix, string? Regex) RemoveArgs(PyroInvocation call)
    {
        call.ExpectAtMost(3, "name", "prefix", "regex");
        var name = call.Arg(0, "name", optional: true);
        var prefix = call.Arg(1, "prefix", optional: true);
        var regex = call.Arg(2, "regex", optional: true);
        if (name is not null and not string && IsTruthy(name) && IsUnhashable(name))
            throw new ArgumentTypeException($"unhashable type: '{PyroConvert.PythonTypeName(name)}'");
        return (name, FilterText(prefix, "prefix"), FilterText(regex, "regex"));
    }

    internal static object? SetMetadata(NameServer nameServer, PyroInvocation call)
    {
        call.ExpectAtMost(2, "name", "metadata");
        var name = call.Arg(0, "name");
        var metadataArg = call.Arg(1, "metadata");
        if (name is not string nameText) throw new ArgumentTypeException("name must be a str");
        nameServer.SetMetadata(nameText, ToTags(metadataArg, "metadata"));
        return null;
    }

    internal static object? Count(NameServer nameServer, PyroInvocation call)
    {
        call.ExpectAtMost(0);
        return (long)nameServer.Count();
    }

    internal static object? Ping(NameServer nameServer, PyroInvocation call)
    {
        call.ExpectAtMost(0);
        nameServer.Ping();
        return null;
    }

    private static IReadOnlyList<NameRegistration> List(NameServer nameServer, object? prefix, object? regex, object? all, object? any)
    {
        int filters = (prefix is null ? 0 : 1) + (regex is null ? 0 : 1) + (all is null ? 0 : 1) + (any is null ? 0 : 1);
        if (filters > 1) throw new ArgumentException("you can only filter on one thing at a time");
        // Python tests each filter for truth in turn: a falsy one (None, '', an empty set) is skipped.
        if (IsTruthy(prefix)) return nameServer.List(prefix: FilterText(prefix, "prefix"));
        if (IsTruthy(regex)) return nameServer.List(regex: FilterText(regex, "regex"));
        if (IsTruthy(all)) return nameServer.List(metadataAll: ToTags(all, "metadata_all"));
        if (IsTruthy(any)) return nameServer.List(metadataAny: ToTags(any, "metadata_any"));
        return nameServer.List();
    }

    // A prefix or regex argument: a str, or something falsy (skipped like None); anything else is Python's TypeError.
    internal static string? FilterText(object? value, string argument) => value switch
    {
        null => null,
        string s => s,
        _ when !IsTruthy(value) => null,
        _ when argument == "prefix" => throw new ArgumentTypeException($"startswith first arg must be str or a tuple of str, not {PyroConvert.PythonTypeName(value)}"),
        _ => throw new ArgumentTypeException("first argument must be string or compiled pattern"),
    };

    private static string LookupName(object? name)
    {
        if (name is string s) return s;
        // Python: storage[name] raises TypeError for unhashable keys, else KeyError -> "unknown name: " + name fails.
        if (IsUnhashable(name)) throw new ArgumentTypeException($"unhashable type: '{PyroConvert.PythonTypeName(name)}'");
        throw new ArgumentTypeException($"can only concatenate str (not \"{PyroConvert.PythonTypeName(name)}\") to str");
    }

    /// <summary>
    /// A metadata argument as Python's name server accepts it: None or any iterable of str but a str itself
    /// (a falsy value means no tags).
    /// </summary>
    internal static List<string>? ToTags(object? value, string argument)
    {
        if (value is null) return null;
        if (value is string s)
        {
            if (s.Length == 0) return null;
            throw new ArgumentTypeException($"{argument} should not be a str, but another iterable (set, list, etc)");
        }
        if (!IsTruthy(value)) return null;
        IEnumerable items = value switch
        {
            IDictionary dict => dict.Keys,
            byte[] or not IEnumerable => throw new ArgumentTypeException($"'{PyroConvert.PythonTypeName(value)}' object is not iterable"),
            IEnumerable e => e,
        };
        var tags = new List<string>();
        foreach (var item in items)
        {
            tags.Add(item as string ?? throw new ArgumentTypeException($"{argument} items must be str, not {PyroConvert.PythonTypeName(item)}"));
        }
        return tags;
    }

    internal static bool IsUnhashable(object? value) => value is IDictionary or ISet<object?> || (value is IList && value is not byte[]);

    // Python's bool(x) for the values of the object model.
    internal static bool IsTruthy(object? value) => value switch
    {
        null => false,
        bool b => b,
        long l => l != 0,
        int i => i != 0,
        double d => d != 0,
        BigInteger big => !big.IsZero,
        string s => s.Length > 0,
        byte[] bytes => bytes.Length > 0,
        ICollection c => c.Count > 0,
        IReadOnlyCollection<object?> c => c.Count > 0,
        _ => true,
    };
}
