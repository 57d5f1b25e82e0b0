namespace TypedPyro.Serialization;

/// <summary>
/// A .NET value that knows its wire form: serializers write <see cref="ToWireValue"/> in its place.
/// Used for Pyro's registered classes such as <c>Pyro4.core.URI</c>, which travel as
/// <c>{'__class__': ..., 'state': ...}</c> dictionaries.
/// </summary>
public interface IPyroWireValue
{
    /// <summary>The value to serialize instead of this one (built from the untyped object model).</summary>
    object? ToWireValue();
}
