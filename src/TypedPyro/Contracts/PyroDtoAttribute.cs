namespace TypedPyro;

/// <summary>
/// Opts a <c>partial</c> record or class in as a data transfer object: the source generator makes it travel as
/// Pyro's class dictionary <c>{'__class__': ClassName, 'prop': value, ...}</c> and read back from that form (or
/// from a plain attribute dictionary, as Python's json sends objects). Only public properties travel, under their
/// wire names. No type is ever instantiated because the wire named it: the declared type decides.
/// </summary>
/// <param name="className">The wire class name, e.g. <c>warehouse.Item</c>. Python peers must know it
/// (<c>SerializerBase.register_dict_to_class</c>) to turn it back into an object.</param>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct, Inherited = false)]
public sealed class PyroDtoAttribute(string className) : Attribute
{
    /// <summary>The wire class name.</summary>
    public string ClassName { get; } = className;
}
