using TypedPyro.Serialization;

namespace TypedPyro.Naming;

/// <summary>
/// The remote surface of <see cref="NameServer"/> as Python's <c>Pyro5.nameserver.NameServer</c> has it, for the
/// daemon's Pyro5 connections: <c>list(prefix, regex, return_metadata)</c> without metadata filters, the metadata
/// search as <c>yplookup(meta_all, meta_any, return_metadata=True)</c>, metadata returned as sets, and
/// <c>remove(name)</c> that stops at the name. The rest is the same as Pyro4's (<see cref="NameServerDispatcher"/>).
/// </summary>
internal static class Pyro5NameServerDispatcher
{
    public static IPyroDispatcher Create(NameServer nameServer) => new PyroObjectBuilder(NameServer.TypeName)
        .Method("register", call => NameServerDispatcher.Register(nameServer, call))
        .Method("lookup", call =>
        {
            var (registration, withMetadata) = NameServerDispatcher.Lookup(nameServer, call);
            return withMetadata ? new PyTuple(registration.ParsedUri, Tags(registration)) : registration.ParsedUri;
        })
        .Method("list", call =>
        {
            call.ExpectAtMost(3, "prefix", "regex", "return_metadata");
            var prefix = call.Arg(0, "prefix", optional: true);
            var regex = call.Arg(1, "regex", optional: true);
            bool withMetadata = NameServerDispatcher.IsTruthy(call.Arg(2, "return_metadata", optional: true, defaultValue: false));
            // Pyro5 tests the filters for truth, not for None: list('', 'x') is a regex search.
            if (NameServerDispatcher.IsTruthy(prefix) && NameServerDispatcher.IsTruthy(regex))
                throw new ArgumentException("you can only filter on one thing at a time");
            var prefixText = NameServerDispatcher.FilterText(prefix, "prefix");
            var regexText = prefixText is null ? NameServerDispatcher.FilterText(regex, "regex") : null;
            return Map(nameServer.List(prefix: prefixText, regex: regexText), withMetadata);
        })
        .Method("yplookup", call =>
        {
            call.ExpectAtMost(3, "meta_all", "meta_any", "return_metadata");
            var all = call.Arg(0, "meta_all", optional: true);
            var any = call.Arg(1, "meta_any", optional: true);
            bool withMetadata = NameServerDispatcher.IsTruthy(call.Arg(2, "return_metadata", optional: true, defaultValue: true));
            if (NameServerDispatcher.IsTruthy(all) && NameServerDispatcher.IsTruthy(any))
                throw new ArgumentException("you can't use meta_all or meta_any at the same time");
            // Pyro5's messages name the arguments metadata_all and metadata_any, as Pyro4's list() did.
            if (NameServerDispatcher.ToTags(all, "metadata_all") is { } allTags) return Map(nameServer.List(metadataAll: allTags), withMetadata);
            if (NameServerDispatcher.ToTags(any, "metadata_any") is { } anyTags) return Map(nameServer.List(metadataAny: anyTags), withMetadata);
            return new Dictionary<object, object?>();
        })
        .Method("remove", call =>
        {
            var (name, prefix, regex) = NameServerDispatcher.RemoveArgs(call);
            // Pyro5 stops at a name (0 when it is not registered); only Pyro.NameServer itself falls through.
            if (NameServerDispatcher.IsTruthy(name) && name is not NameServer.ObjectId)
                return name is string text ? (long)nameServer.Remove(text) : 0L;
            return (long)nameServer.Remove(null, prefix, regex);
        })
        .Method("set_metadata", call => NameServerDispatcher.SetMetadata(nameServer, call))
        .Method("count", call => NameServerDispatcher.Count(nameServer, call))
        .Method("ping", call => NameServerDispatcher.Ping(nameServer, call))
        .Build();

    private static Dictionary<object, object?> Map(IReadOnlyList<NameRegistration> registrations, bool withMetadata)
    {
        var map = new Dictionary<object, object?>(registrations.Count);
        foreach (var r in registrations) map[r.Name] = withMetadata ? new PyTuple(r.Uri, Tags(r)) : r.Uri;
        return map;
    }

    // Pyro5 keeps a registration's metadata as a set and returns it as one (serpent writes an empty one as ()).
    private static HashSet<object?> Tags(NameRegistration registration)
    {
        var set = new HashSet<object?>(registration.Metadata.Count);
        foreach (var tag in registration.Metadata) set.Add(tag);
        return set;
    }
}
