namespace TypedPyro.Serialization;

/// <summary>Serializer ids of the Pyro4 wire protocol (the header's serializer field).</summary>
public enum SerializerId : ushort
{
    /// <summary>Serpent: Python literal expressions (Pyro4's default).</summary>
    Serpent = 1,
    /// <summary>JSON, as Python's <c>json</c> module writes it.</summary>
    Json = 2,
    /// <summary>Python's marshal format; TypedPyro only reads the strings Python sends in CONNECTFAIL.</summary>
    Marshal = 3,
    /// <summary>Python pickle. Never implemented: it executes code named by the wire.</summary>
    Pickle = 4,
    /// <summary>dill. Never implemented, for the same reason as pickle.</summary>
    Dill = 5,
    /// <summary>msgpack.</summary>
    MsgPack = 6,
    /// <summary>cloudpickle. Never implemented, for the same reason as pickle.</summary>
    CloudPickle = 7,
    /// <summary>The pseudo id Pyro4 puts in PING messages; the payload is never deserialized.</summary>
    Ping = 42,
}
