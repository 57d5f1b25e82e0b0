namespace TypedPyro.Naming;

/// <summary>
/// <c>lookup(name)</c> with the name as its only argument, as Python's own proxies send it. <see cref="INameServer"/>'s
/// lookup has an optional <c>return_metadata</c>, which goes by keyword and so takes the untyped path (a keyword
/// dictionary and a boxed bool on both sides); the plain lookup is the name server's hot call and goes through this
/// contract's typed arguments instead.
/// </summary>
[Expose]
internal interface INameServerLookup
{
    [PyroName("lookup")]
    ValueTask<object?> LookupAsync(string name, CancellationToken cancellationToken);
}
