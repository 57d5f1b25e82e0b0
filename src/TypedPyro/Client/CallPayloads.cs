using System.Buffers;
using TypedPyro.Serialization;

namespace TypedPyro;

/// <summary>
/// The arguments of one proxy call, as the call path sees them: a struct per kind, so that the path is compiled once
/// for untyped calls and once per generated argument struct, with no boxing either way.
/// </summary>
internal interface ICallPayload
{
    /// <summary>The first positional argument when it is cheap to know (untyped calls: blobs and attribute names).</summary>
    object? FirstArgument { get; }

    /// <summary>The untyped arguments, for the SerializedBlob path.</summary>
    UntypedPayload Untyped { get; }

    /// <summary>
    /// True when the caller converts the result to <c>byte[]</c> (a typed method returning bytes): the reply's bulk
    /// bytes are then decoded straight into the caller's array (<see cref="PyroSerializer.DeserializeBytesResult"/>).
    /// </summary>
    bool BytesResult { get; }

    /// <summary>Writes the INVOKE payload.</summary>
    void Serialize(PyroSerializer serializer, IBufferWriter<byte> output, string objectId, string method);
}

/// <summary>Arguments in the object model, with keyword arguments.</summary>
internal readonly struct UntypedPayload(IReadOnlyList<object?> args, IReadOnlyDictionary<string, object?>? kwargs) : ICallPayload
{
    public IReadOnlyList<object?> Args { get; } = args;

    public IReadOnlyDictionary<string, object?>? Kwargs { get; } = kwargs;

    public object? FirstArgument => Args.Count > 0 ? Args[0] : null;

    public UntypedPayload Untyped => this;

    public bool BytesResult => false;

    public void Serialize(PyroSerializer serializer, IBufferWriter<byte> output, string objectId, string method)
        => serializer.SerializeCall(output, objectId, method, Args, Kwargs);
}

/// <summary>Typed positional arguments from a generated proxy, written straight into the serializer.</summary>
internal readonly struct TypedPayload<TArgs>(TArgs args, bool bytesResult = false) : ICallPayload where TArgs : struct, IPyroArguments
{
    // Generated argument structs never hold a SerializedBlob (the generator sends those methods the untyped way).
    public object? FirstArgument => null;

    public UntypedPayload Untyped => new(args.ToTuple(), null);

    public bool BytesResult => bytesResult;

    public void Serialize(PyroSerializer serializer, IBufferWriter<byte> output, string objectId, string method)
        => serializer.SerializeCall(output, objectId, method, args);
}
