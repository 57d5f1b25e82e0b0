namespace TypedPyro.Serialization;

/// <summary>The serializers of a Pyro5 connection, by the model's (Pyro4) serializer id.</summary>
internal static class Pyro5Serializers
{
    public static PyroSerializer Serpent { get; } = new Pyro5Serializer(PyroSerializers.Serpent);
    public static PyroSerializer Json { get; } = new Pyro5Serializer(PyroSerializers.Json);
    public static PyroSerializer Marshal { get; } = new Pyro5Serializer(PyroSerializers.Marshal);
    public static PyroSerializer MsgPack { get; } = new Pyro5Serializer(PyroSerializers.MsgPack);

    /// <summary>The Pyro5 form of the serializer with model id <paramref name="id"/>, or null when TypedPyro has none.</summary>
    public static PyroSerializer? Find(ushort id) => (SerializerId)id switch
    {
        SerializerId.Serpent => Serpent,
        SerializerId.Json => Json,
        SerializerId.Marshal => Marshal,
        SerializerId.MsgPack => MsgPack,
        _ => null,
    };

    /// <summary>The Pyro5 form of <paramref name="serializer"/>.</summary>
    public static PyroSerializer For(PyroSerializer serializer) => serializer is Pyro5Serializer ? serializer : Find((ushort)serializer.Id) ?? serializer;
}
