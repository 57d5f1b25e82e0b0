using System.Buffers;

namespace TypedPyro.Serialization;

/// <summary>
/// One of TypedPyro's serializers as a Pyro5 connection uses it: the same format (Pyro5 writes serpent, json, marshal
/// and msgpack as Pyro4 does), with Pyro5's class names (<see cref="Pyro5ClassNames"/>) on the wire. Its
/// <see cref="Id"/> is the model's (Pyro4) id; the framing maps it to Pyro5's.
/// </summary>
internal sealed class Pyro5Serializer(PyroSerializer inner) : PyroSerializer
{
    /// <summary>The Pyro4 serializer this one wraps.</summary>
    public PyroSerializer Inner { get; } = inner;

    /// <inheritdoc/>
    public override SerializerId Id => Inner.Id;

    /// <inheritdoc/>
    public override string Name => Inner.Name;

    /// <inheritdoc/>
    public override void Serialize(IBufferWriter<byte> output, object? value) => Inner.Serialize(output, Pyro5ClassNames.RenameOutgoing(value));

    /// <inheritdoc/>
    public override object? Deserialize(ReadOnlySpan<byte> data) => Pyro5ClassNames.RenameIncoming(Inner.Deserialize(data));

    /// <inheritdoc/>
    public override void SerializeCall(IBufferWriter<byte> output, string objectId, string method, IReadOnlyList<object?> args, IReadOnlyDictionary<string, object?>? kwargs)
    {
        var renamedArgs = (IReadOnlyList<object?>)Pyro5ClassNames.RenameOutgoing(args)!;
        IReadOnlyDictionary<string, object?>? renamedKwargs = kwargs;
        if (kwargs is { Count: > 0 })
        {
            Dictionary<string, object?>? copy = null;
            foreach (var (key, value) in kwargs)
            {
                var renamed = Pyro5ClassNames.RenameOutgoing(value);
                if (ReferenceEquals(renamed, value)) continue;
                copy ??= new Dictionary<string, object?>(kwargs);
                copy[key] = renamed;
            }
            renamedKwargs = copy ?? kwargs;
        }
        Inner.SerializeCall(output, objectId, method, renamedArgs, renamedKwargs);
    }

    /// <inheritdoc/>
    // Typed arguments go through the tuple: an argument may be a URI or a proxy, which travel under Pyro5's names.
    public override void SerializeCall<TArgs>(IBufferWriter<byte> output, string objectId, string method, TArgs args)
        => SerializeCall(output, objectId, method, args.ToTuple(), NoKeywords);

    /// <inheritdoc/>
    public override PyroCall DeserializeCall(ReadOnlySpan<byte> data) => Renamed(Inner.DeserializeCall(data));

    internal override PyroCall DeserializeCall(ReadOnlyMemory<byte> data, bool borrowBulkBytes, CallArguments? arguments = null, bool argumentsOutliveCall = false)
        => Renamed(Inner.DeserializeCall(data, borrowBulkBytes, arguments, argumentsOutliveCall));

    private static PyroCall Renamed(PyroCall call)
    {
        if (call.Args is BatchCalls batch)
        {
            // A batch read straight into calls: each entry's arguments, as the entry tuples would have been.
            foreach (var entry in batch.Calls) Renamed(entry);
            return call;
        }
        Pyro5ClassNames.RenameIncoming(call.Args);
        if (call.Kwargs is { Count: > 0 } kwargs)
        {
            foreach (var value in kwargs.Values) Pyro5ClassNames.RenameIncoming(value);
        }
        return call;
    }
}
