namespace TypedPyro.Generators.Model;

/// <summary>A <c>[PyroDto]</c> partial type: what its wire form and its reader are made from.</summary>
/// <param name="HintName">The type's metadata name, made safe for a hint name.</param>
/// <param name="Namespace">The type's namespace, or null for the global namespace.</param>
/// <param name="Declaration">The partial declaration's head (<c>partial record struct Point</c>).</param>
/// <param name="FullType">The fully qualified type.</param>
/// <param name="ClassName">The wire class name (<c>warehouse.Item</c>).</param>
/// <param name="SkipReason">Why nothing but a comment is generated, or null.</param>
/// <param name="Properties">The public readable properties, in declaration order (base types first).</param>
/// <param name="ReadUnsupported">Why the type cannot be read from the wire (its reader throws), or null.</param>
/// <param name="ConstructorArguments">The arguments of the constructor the reader calls.</param>
/// <param name="HidesBaseReader">A base type has a <c>FromWireValue</c> too (the new one needs <c>new</c>).</param>
internal sealed record DtoModel(
    string HintName,
    string? Namespace,
    string Declaration,
    string FullType,
    string ClassName,
    string? SkipReason,
    EquatableArray<DtoPropertyModel> Properties,
    string? ReadUnsupported,
    EquatableArray<DtoArgumentModel> ConstructorArguments,
    bool HidesBaseReader);

/// <summary>How the reader of a DTO sets a property that its constructor does not.</summary>
internal enum DtoBinding
{
    /// <summary>Not set by the reader (read-only, or set through the constructor).</summary>
    None,
    /// <summary>In the object initializer; the key must be present.</summary>
    Initializer,
    /// <summary>Assigned after construction when the key is present.</summary>
    Setter,
    /// <summary>A <c>with</c> expression when the key is present (init-only properties of records and structs).</summary>
    With,
}

/// <summary>A property of a DTO.</summary>
/// <param name="Name">The C# name, escaped when it is a keyword.</param>
/// <param name="WireName">The key in the wire dictionary.</param>
/// <param name="Read">The conversion of <c>map["wire"]</c> to the property type, or null when unsupported.</param>
/// <param name="Binding">How the reader sets it.</param>
/// <param name="SkipReason">Why the property does not travel, or null.</param>
/// <param name="WireType">The property's type as the Python peer sees it, for the exposure manifest.</param>
internal sealed record DtoPropertyModel(
    string Name,
    string WireName,
    string? Read,
    DtoBinding Binding,
    string? SkipReason,
    string WireType);

/// <summary>A constructor argument of a DTO's reader.</summary>
/// <param name="WireName">The key it is read from.</param>
/// <param name="Read">The conversion of <c>map["wire"]</c> to the parameter type.</param>
/// <param name="DefaultValue">The parameter's default value, used when the key is missing; null when it is required.</param>
internal sealed record DtoArgumentModel(
    string WireName,
    string Read,
    string? DefaultValue);
