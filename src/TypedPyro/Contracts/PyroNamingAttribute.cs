namespace TypedPyro;

/// <summary>How the C# names of a contract's members and parameters become wire names.</summary>
public enum PyroNamingPolicy
{
    /// <summary>Wire names are the C# names as declared (after dropping an <c>Async</c> suffix of awaitable methods).</summary>
    AsDeclared = 0,

    /// <summary>
    /// Python's snake_case: <c>GetStock</c> -> <c>get_stock</c>, <c>HTTPServer</c> -> <c>http_server</c>,
    /// <c>ListContentsAsync</c> -> <c>list_contents</c>. The rule is part of the contract and will not change:
    /// an underscore goes before an upper-case letter that follows a lower-case letter or digit, or that is followed by
    /// a lower-case letter after another upper-case letter; then everything is lower-cased.
    /// </summary>
    SnakeCase = 1,
}

/// <summary>Sets the naming policy of an <see cref="ExposeAttribute"/> interface's members and parameters.</summary>
[AttributeUsage(AttributeTargets.Interface, Inherited = false)]
public sealed class PyroNamingAttribute(PyroNamingPolicy policy) : Attribute
{
    /// <summary>The policy.</summary>
    public PyroNamingPolicy Policy { get; } = policy;
}
