namespace TypedPyro.Serialization;

/// <summary>
/// The serializers TypedPyro implements, by wire id and by Pyro name. Pickle, dill and cloudpickle are never
/// implemented: they let the peer choose which code runs.
/// </summary>
public static class PyroSerializers
{
    /// <summary>Serpent (id 1), Pyro4's default.</summary>
    public static PyroSerializer Serpent { get; } = new SerpentSerializer();

    /// <summary>JSON (id 2).</summary>
    public static PyroSerializer Json { get; } = new PyroJsonSerializer();

    /// <summary>Marshal (id 3): enough to read and write what Pyro4 sends in marshal.</summary>
    public static PyroSerializer Marshal { get; } = new MarshalSerializer();

    /// <summary>msgpack (id 6): bytes without base64, the binary-friendly path. Daemons accept it only when configured to.</summary>
    public static PyroSerializer MsgPack { get; } = new MsgPackSerializer();

    /// <summary>The serializer for a wire id, or null when TypedPyro has none for it.</summary>
    public static PyroSerializer? Find(ushort id) => (SerializerId)id switch
    {
        SerializerId.Serpent => Serpent,
        SerializerId.Json => Json,
        SerializerId.Marshal => Marshal,
        SerializerId.MsgPack => MsgPack,
        _ => null,
    };

    /// <summary>The serializer for a Pyro name (<c>serpent</c>, <c>json</c>, <c>marshal</c>).</summary>
    /// <exception cref="SerializeException">Unknown, or one TypedPyro refuses to implement.</exception>
    public static PyroSerializer ForName(string name) => name switch
    {
        "serpent" => Serpent,
        "json" => Json,
        "marshal" => Marshal,
        "msgpack" => MsgPack,
        "pickle" or "dill" or "cloudpickle" => throw new SerializeException($"the {name} serializer is not supported: it can execute arbitrary code chosen by the peer"),
        _ => throw new SerializeException($"unknown serializer: '{name}'"),
    };

    /// <summary>True for the ids Pyro4 defines (1-7), whether or not TypedPyro implements them.</summary>
    public static bool IsKnownId(ushort id) => id is >= 1 and <= 7;
}
