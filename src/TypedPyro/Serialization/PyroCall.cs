namespace TypedPyro.Serialization;

/// <summary>
/// One decoded INVOKE payload: <c>(objectId, method, vargs, kwargs)</c>.
/// </summary>
/// <param name="ObjectId">The target object id.</param>
/// <param name="Method">The method name (a plain name; dots are not resolved).</param>
/// <param name="Args">Positional arguments (a tuple or list on the wire).</param>
/// <param name="Kwargs">Keyword arguments, or null (Pyro sends None for getattr/setattr and batch calls).</param>
public sealed record PyroCall(
    string ObjectId,
    string Method,
    IReadOnlyList<object?> Args,
    IReadOnlyDictionary<string, object?>? Kwargs);
