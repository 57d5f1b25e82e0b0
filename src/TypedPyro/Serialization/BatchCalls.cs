using System.Collections;

namespace TypedPyro.Serialization;

/// <summary>
/// The positional arguments of a decoded <c>&lt;batch&gt;</c> call when a serializer read its entries straight into
/// calls (serpent does, for entries of the usual <c>(method, vargs, {})</c> shape): no entry tuple and no empty kwargs
/// dict per entry. Only the daemon's batch handler reads it, through <see cref="Calls"/>; as a list it holds those
/// calls, never a type the wire named.
/// </summary>
internal sealed class BatchCalls(List<PyroCall> calls) : IReadOnlyList<object?>
{
    /// <summary>The entries in order, each with the batch's object id.</summary>
    public List<PyroCall> Calls { get; } = calls;

    public object? this[int index] => Calls[index];

    public int Count => Calls.Count;

    public IEnumerator<object?> GetEnumerator() => Calls.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
