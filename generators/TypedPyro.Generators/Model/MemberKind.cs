namespace TypedPyro.Generators.Model;

/// <summary>The kinds of interface members a proxy implements.</summary>
internal enum MemberKind
{
    Method,
    Property,
    Indexer,
    Event,
}
