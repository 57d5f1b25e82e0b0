namespace TypedPyro.Generators.Model;

/// <summary>
/// One member of a contract: enough to implement it explicitly in the proxy (its signature, always) and, when it is
/// remote and supported, to call it over the wire and to dispatch it.
/// </summary>
/// <param name="Kind">Method, property, indexer or event.</param>
/// <param name="Name">The C# name, escaped when it is a keyword.</param>
/// <param name="DisplayName">The name in messages: <c>IWarehouse.GetStock</c>.</param>
/// <param name="DeclaringType">The fully qualified interface that declares the member.</param>
/// <param name="IsRemote">False for members of a partly exposed interface that are not <c>[Expose]</c>.</param>
/// <param name="WireName">The member's name on the wire.</param>
/// <param name="SkipReason">Why a remote member is not generated (the proxy member throws), or null.</param>
/// <param name="Type">The return type of a method or the type of a property, indexer or event, as a signature starts
/// (with <c>unsafe </c>, <c>ref </c> or <c>ref readonly </c> when needed).</param>
/// <param name="Parameters">The parameters of a method or indexer.</param>
/// <param name="TypeParameters">A generic method's type parameter names.</param>
/// <param name="Constraints">The constraint clauses an explicit implementation must restate (<c>where T : class</c>).</param>
/// <param name="Shape">How a method is called.</param>
/// <param name="ResultType">The type of a method's result (<c>T</c> of <c>Task&lt;T&gt;</c>, of a stream's items, or the return type).</param>
/// <param name="Converter">A lambda converting an object-model value to <paramref name="ResultType"/> (methods) or the property type.</param>
/// <param name="ConvertValue">A property setter's conversion of <c>value</c> to the property type.</param>
/// <param name="IsOneway">True for <c>[Oneway]</c> methods.</param>
/// <param name="HasGetter">A property or indexer with a getter.</param>
/// <param name="HasSetter">A property or indexer with a setter (or init accessor).</param>
/// <param name="IsInitOnly">The setter is an <c>init</c> accessor.</param>
/// <param name="SendWhole">The result is a collection the daemon could mistake for an iterator (a
/// <c>HashSet&lt;int&gt;</c> is no <c>ICollection</c>): the dispatcher wraps it so it is sent whole.</param>
/// <param name="IsAlias">Redeclares (<c>new</c>) a member of the same signature and wire name listed before it: the
/// proxy calls the same remote member, the dispatcher serves the first one only.</param>
/// <param name="WireType">What a method returns or a property holds, as the Python peer sees it (<c>int</c>,
/// <c>iterator[str]</c>, <c>None</c>), for the exposure manifest.</param>
internal sealed record MemberModel(
    MemberKind Kind,
    string Name,
    string DisplayName,
    string DeclaringType,
    bool IsRemote,
    string WireName,
    string? SkipReason,
    string Type,
    EquatableArray<ParameterModel> Parameters,
    EquatableArray<string> TypeParameters,
    EquatableArray<string> Constraints,
    CallShape Shape,
    string? ResultType,
    string? Converter,
    string? ConvertValue,
    bool IsOneway,
    bool HasGetter,
    bool HasSetter,
    bool IsInitOnly,
    bool SendWhole,
    bool IsAlias = false,
    string WireType = "object")
{
    /// <summary>True when the member is called over the wire and dispatched.</summary>
    public bool IsGenerated => IsRemote && SkipReason is null;

    /// <summary>True when the member is dispatched (and listed in the metadata).</summary>
    public bool IsDispatched => IsGenerated && !IsAlias;
}
