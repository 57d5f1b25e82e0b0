namespace TypedPyro;

/// <summary>
/// The name a method, property or parameter has on the wire, when it differs from the C# name
/// (e.g. <c>[PyroName("get_stock")]</c> to match a Python server). Overrides the interface's <see cref="PyroNamingAttribute"/>.
/// </summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Property | AttributeTargets.Parameter, Inherited = false)]
public sealed class PyroNameAttribute(string name) : Attribute
{
    /// <summary>The wire name.</summary>
    public string Name { get; } = name;
}
