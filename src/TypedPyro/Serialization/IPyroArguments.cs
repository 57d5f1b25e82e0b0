using TypedPyro.Protocol;

namespace TypedPyro.Serialization;

/// <summary>
/// The positional arguments of one call, written straight into the serializer without boxing them into a tuple.
/// Generated proxies implement it with a struct per method; see <see cref="PyroSerializer.SerializeCall{TArgs}"/>.
/// </summary>
public interface IPyroArguments
{
    /// <summary>How many arguments <see cref="WriteTo"/> writes.</summary>
    int Count { get; }

    /// <summary>Writes every argument, in order, each with one call on <paramref name="writer"/>.</summary>
    void WriteTo(PyroArgumentWriter writer);

    /// <summary>The arguments in the object model, for paths that need it (batches, serializers without a typed writer).</summary>
    PyTuple ToTuple();
}

/// <summary>
/// Writes the arguments of a call, one value per call, in the wire format of one serializer. Primitive values are
/// written without boxing; anything else goes through the serializer's object writer (<see cref="WriteValue"/>).
/// </summary>
public abstract class PyroArgumentWriter
{
    // The lead padding of CacheLineIsolated (a public class cannot derive from it): a thread's reused writer is
    // written on every call it serializes.
#pragma warning disable CS0169 // never read: the padding is the point
    private readonly CacheLinePadding _lead;
#pragma warning restore CS0169

    /// <summary>Writes a string (or None).</summary>
    public abstract void WriteString(string? value);

    /// <summary>Writes an integer.</summary>
    public abstract void WriteInt64(long value);

    /// <summary>Writes a float.</summary>
    public abstract void WriteDouble(double value);

    /// <summary>Writes a bool.</summary>
    public abstract void WriteBoolean(bool value);

    /// <summary>Writes any value the serializer accepts (lists, dicts, DTOs, proxies...).</summary>
    public abstract void WriteValue(object? value);
}

/// <summary>The arguments of a call that has none.</summary>
public readonly struct NoArguments : IPyroArguments
{
    /// <inheritdoc/>
    public int Count => 0;

    /// <inheritdoc/>
    public void WriteTo(PyroArgumentWriter writer)
    {
    }

    /// <inheritdoc/>
    public PyTuple ToTuple() => PyTuple.Empty;
}
