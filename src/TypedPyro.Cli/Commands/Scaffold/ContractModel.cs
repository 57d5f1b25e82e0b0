namespace TypedPyro.Cli.Commands.Scaffold;

/// <summary>A parameter of a scaffolded method: its C# name and type.</summary>
internal sealed record ScaffoldParameter(string Name, string Type);

/// <summary>What a member is on the wire.</summary>
internal enum ScaffoldMemberKind
{
    Method,
    Attribute,
    /// <summary>A wire name the generator cannot declare (written as a comment only).</summary>
    Skipped,
}

/// <summary>
/// One member of the contract: its wire name, the C# name (with <c>[PyroName]</c> when the naming policy would not
/// give the wire name back), its types (<c>object?</c> when nothing tells), and the note written above it.
/// </summary>
internal sealed record ScaffoldMember(
    ScaffoldMemberKind Kind,
    string WireName,
    string CSharpName,
    bool NeedsPyroName,
    bool Oneway,
    string Type,
    IReadOnlyList<ScaffoldParameter> Parameters,
    string Note);

/// <summary>The whole contract, ready to be written.</summary>
internal sealed record ScaffoldContract(string Namespace, string InterfaceName, string ObjectId, string Source, bool SnakeCase, IReadOnlyList<ScaffoldMember> Members);
