namespace TypedPyro.Generators.Tests.Support;

/// <summary>
/// Tests that run <c>dotnet pack</c>, <c>build</c> or <c>publish</c> in child processes: one at a time, so that on a
/// small machine they do not starve each other into their timeouts.
/// </summary>
[CollectionDefinition(Name)]
public sealed class BuildCollection
{
    public const string Name = "Child builds";
}
