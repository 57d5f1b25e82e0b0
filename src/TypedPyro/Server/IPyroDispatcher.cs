namespace TypedPyro;

/// <summary>
/// The server side of one registered object: a table of exposed members, made at compile time by the source
/// generator (or by hand with <see cref="PyroObjectBuilder"/>). The daemon checks exposure, privacy and the
/// metadata before it calls in, so a dispatcher only sees names listed in its <see cref="Metadata"/>.
/// </summary>
/// <remarks>
/// Calls may arrive concurrently from different connections; a dispatcher is as thread-safe as the object it wraps.
/// Exceptions thrown by the object travel to the caller as Pyro exception replies (see <c>docs/exceptions.md</c>).
/// </remarks>
public interface IPyroDispatcher
{
    /// <summary>The class name used in Python-style error messages (<c>'EchoServer' object has no attribute 'x'</c>).</summary>
    string TypeName { get; }

    /// <summary>What this object exposes.</summary>
    PyroObjectMetadata Metadata { get; }

    /// <summary>
    /// True when <see cref="InvokeAsync"/> reads each argument with <see cref="PyroInvocation.Arg{T}(int, string, Func{object?, T})"/>,
    /// as generated dispatchers do: a bulk bytes argument then stays in the connection's receive buffer until a
    /// <see cref="ReadOnlyMemory{T}"/> parameter takes it as a view (no copy) or a <c>byte[]</c> parameter as its own
    /// array; and the positional arguments may be the connection's reused list, in which ints and floats stay unboxed
    /// until <c>Arg&lt;T&gt;</c> converts them. So a dispatcher that says true reads its arguments before the call
    /// completes and keeps neither the <see cref="PyroInvocation"/>, its <see cref="PyroInvocation.Args"/> nor the
    /// views beyond it: the connection's next call to the same method may arrive in the same invocation object, over
    /// the same list with new values. False (the default): each call gets an invocation of its own, and
    /// <see cref="PyroInvocation.Args"/> is a tuple of plain object-model values of its own.
    /// </summary>
    bool AcceptsBufferViews => false;

    /// <summary>Calls an exposed method.</summary>
    /// <returns>The result, in the untyped object model or any value the serializers accept.</returns>
    /// <exception cref="ArgumentTypeException">Wrong number or types of arguments (Python's TypeError).</exception>
    ValueTask<object?> InvokeAsync(PyroInvocation invocation);

    /// <summary>Reads an exposed remote attribute (listed in <see cref="PyroObjectMetadata.Attributes"/>).</summary>
    ValueTask<object?> GetAttributeAsync(string name, PyroCallContext context);

    /// <summary>Writes an exposed remote attribute.</summary>
    ValueTask SetAttributeAsync(string name, object? value, PyroCallContext context);
}
