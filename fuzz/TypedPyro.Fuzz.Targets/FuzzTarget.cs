namespace TypedPyro.Fuzz;

/// <summary>
/// One fuzz target: feeds an input to one entry point of the runtime. It returns normally for every input, and for
/// malformed input it catches exactly the typed exceptions that entry point documents; anything else escaping
/// (an <see cref="IndexOutOfRangeException"/>, a <see cref="NullReferenceException"/>, a broken invariant) is a
/// crash, which is what the fuzzer is there to find.
/// </summary>
public interface IFuzzTarget
{
    /// <summary>The name used by <c>fuzz/run.sh</c> and as the corpus folder (<c>fuzz/corpus/NAME/</c>).</summary>
    string Name { get; }

    /// <summary>Runs one input.</summary>
    void Run(byte[] input);
}

/// <summary>An invariant of the fuzzed code did not hold for an input: a crash, never caught by a target.</summary>
public sealed class FuzzInvariantException(string message) : Exception(message);

/// <summary>
/// Every target, by name. Targets are made on demand: under AFL the runtime's assemblies are instrumented, and their
/// code must not run before SharpFuzz has set up the coverage map (a static constructor would write to nothing).
/// </summary>
public static class FuzzTargets
{
    /// <summary>The names, in the order of the issue.</summary>
    public static IReadOnlyList<string> Names { get; } = ["message", "serpent", "json", "marshal", "msgpack", "uri", "gateway", "daemon"];

    /// <summary>A new target called <paramref name="name"/>, or null.</summary>
    public static IFuzzTarget? Create(string name) => name switch
    {
        "message" => new MessageReaderTarget(),
        "serpent" => new SerializerTarget(name, Serialization.PyroSerializers.Serpent),
        "json" => new SerializerTarget(name, Serialization.PyroSerializers.Json),
        "marshal" => new SerializerTarget(name, Serialization.PyroSerializers.Marshal),
        "msgpack" => new SerializerTarget(name, Serialization.PyroSerializers.MsgPack),
        "uri" => new UriParserTarget(),
        "gateway" => new GatewayParametersTarget(),
        "daemon" => new DaemonRequestTarget(),
        _ => null,
    };
}
