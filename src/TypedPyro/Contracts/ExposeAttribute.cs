namespace TypedPyro;

/// <summary>
/// Marks a remote contract. On an interface: every member of it (and of the interfaces it extends) is remote, and
/// the source generator emits a proxy and a dispatcher for it. On single methods or properties of an interface
/// without the attribute: only those members are remote. Classes are never exposed as a whole (Pyro's docs warn
/// against it; analyzer TPY1001 reports it and the generator ignores it): expose an interface instead.
/// </summary>
[AttributeUsage(AttributeTargets.Interface | AttributeTargets.Method | AttributeTargets.Property | AttributeTargets.Class, Inherited = false)]
public sealed class ExposeAttribute : Attribute
{
}
