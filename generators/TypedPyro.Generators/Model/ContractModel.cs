namespace TypedPyro.Generators.Model;

/// <summary>One <c>[Expose]</c> interface (or interface with <c>[Expose]</c> members): what its proxy, dispatcher
/// and registration are made from.</summary>
/// <param name="HintName">The interface's metadata name, made safe for a hint name (<c>Example.IWarehouse</c>).</param>
/// <param name="Namespace">The namespace the generated types go in, or null for the global namespace.</param>
/// <param name="InterfaceType">The fully qualified interface type (<c>global::Example.IWarehouse</c>).</param>
/// <param name="InterfaceName">The interface's C# name, with containing types (<c>IWarehouse</c>, <c>Outer.IInner</c>).</param>
/// <param name="TypeName">The class name of the remote object in Python-style messages (<c>Warehouse</c>).</param>
/// <param name="ClassPrefix">The prefix of the generated classes' names (<c>Warehouse</c>, <c>Outer_Inner</c>).</param>
/// <param name="IsPublic">True when the interface is public (also through its containing types).</param>
/// <param name="SkipReason">Why nothing but a comment is generated, or null.</param>
/// <param name="Members">The interface's members and those of its base interfaces, in declaration order.</param>
internal sealed record ContractModel(
    string HintName,
    string? Namespace,
    string InterfaceType,
    string InterfaceName,
    string TypeName,
    string ClassPrefix,
    bool IsPublic,
    string? SkipReason,
    EquatableArray<MemberModel> Members);
