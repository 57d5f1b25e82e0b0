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

    /// <summary>Calls an exposed method.</summary>
    /// <returns>The result, in the untyped object model or any value the serializers accept.</returns>
    /// <exception cref="ArgumentTypeException">Wrong number or types of arguments (Python's TypeError).</exception>
    ValueTask<object?> InvokeAsync(PyroInvocation invocation);

    /// <summary>Reads an exposed remote attribute (listed in <see cref="PyroObjectMetadata.Attributes"/>).</summary>
    ValueTask<object?> GetAttributeAsync(string name, PyroCallContext context);

    /// <summary>Writes an exposed remote attribute.</summary>
    ValueTask SetAttributeAsync(string name, object? value, PyroCallContext context);
}
