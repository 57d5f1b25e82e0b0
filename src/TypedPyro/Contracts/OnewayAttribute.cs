namespace TypedPyro;

/// <summary>
/// A remote method the caller does not wait for: no result, no exception, no reply message (Pyro's <c>@oneway</c>).
/// The method must return <c>void</c>, <see cref="Task"/> or <see cref="ValueTask"/>.
/// </summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false)]
public sealed class OnewayAttribute : Attribute
{
}
