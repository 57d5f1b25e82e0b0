using TypedPyro.Serialization;

namespace TypedPyro;

public sealed partial class PyroDaemon
{
    /// <summary>The daemon's own object <c>Pyro.Daemon</c>, with the methods Python's daemon exposes.</summary>
    private IPyroDispatcher CreateDaemonObject() => new PyroObjectBuilder("DaemonObject")
        .Method("registered", call =>
        {
            call.ExpectAtMost(0);
            return RegisteredIds.Cast<object?>().ToList();
        })
        .Method("ping", call =>
        {
            call.ExpectAtMost(0);
            return null;
        })
        .Method("info", call =>
        {
            call.ExpectAtMost(0);
            return $"{PyroNames.DaemonObjectId} bound on {LocationUri.Location}, NAT {NatUri?.Location ?? "None"}, {_objects.Count} objects registered. Servertype: {Config.ServerType}";
        })
        .Method("get_metadata", call =>
        {
            call.ExpectAtMost(2, "objectId", "as_lists");
            if (call.Arg(0, "objectId") is not string id) throw new ArgumentTypeException("get_metadata() objectId must be a str");
            bool asLists = call.Arg(1, "as_lists", optional: true, defaultValue: false) is true;
            return GetMetadata(id, call.Context.Client?.Protocol == 5).ToWireValue(asLists);
        })
        .MethodAsync("get_next_stream_item", call =>
        {
            call.ExpectAtMost(1, "streamId");
            if (call.Arg(0, "streamId") is not string id) throw new ArgumentTypeException("get_next_stream_item() streamId must be a str");
            return Streams.NextAsync(id, call.Context.Client);
        })
        .MethodAsync("close_stream", async call =>
        {
            call.ExpectAtMost(1, "streamId");
            if (call.Arg(0, "streamId") is string id) await Streams.RemoveAsync(id).ConfigureAwait(false);
            return null;
        })
        .Build();

    /// <summary>The metadata of a registered object.</summary>
    /// <exception cref="DaemonException">Unknown object id.</exception>
    public PyroObjectMetadata GetMetadata(string objectId)
        => _objects.TryGetValue(objectId, out var dispatcher) ? dispatcher.Metadata : throw new DaemonException("unknown object");

    /// <summary>The metadata of a registered object as a client of that protocol sees it.</summary>
    internal PyroObjectMetadata GetMetadata(string objectId, bool pyro5)
        => TryGetObject(objectId, pyro5, out var dispatcher) ? dispatcher.Metadata : throw new DaemonException("unknown object");
}
