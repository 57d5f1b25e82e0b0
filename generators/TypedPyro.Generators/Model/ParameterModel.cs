namespace TypedPyro.Generators.Model;

/// <summary>A method or indexer parameter.</summary>
/// <param name="Name">The C# name, escaped when it is a keyword.</param>
/// <param name="Type">The fully qualified type.</param>
/// <param name="Modifiers">What goes before the type in a signature (<c>ref </c>, <c>out </c>, <c>scoped </c>...).</param>
/// <param name="WireName">The keyword name on the wire.</param>
/// <param name="Converter">A lambda converting an object-model value to <paramref name="Type"/>, or null when unsupported.</param>
/// <param name="IsCancellationToken">A <c>CancellationToken</c>: local, never sent.</param>
/// <param name="IsOptional">Has a default value: sent as a keyword argument.</param>
/// <param name="DefaultValue">The default value as a C# expression, for optional parameters.</param>
/// <param name="WireType">The type as the Python peer sees it (<c>str | None</c>), for the exposure manifest.</param>
internal sealed record ParameterModel(
    string Name,
    string Type,
    string Modifiers,
    string WireName,
    string? Converter,
    bool IsCancellationToken,
    bool IsOptional,
    string? DefaultValue,
    string WireType);
