namespace TypedPyro.Cli.Commands.Check;

/// <summary>The verdict of one check: only <see cref="Error"/> makes <c>typedpyro check</c> exit non-zero.</summary>
internal enum CheckStatus
{
    Ok,
    Warning,
    Error,
}

/// <summary>
/// One line of the report: what was checked, what was found and, when something is wrong, how to fix it.
/// <paramref name="Data"/> holds the machine-readable values (protocol number, round trip) for <c>--json</c>.
/// </summary>
internal sealed record CheckResult(string Name, CheckStatus Status, string Message, string? Fix = null, IReadOnlyDictionary<string, object?>? Data = null)
{
    public static CheckResult Ok(string name, string message, IReadOnlyDictionary<string, object?>? data = null) => new(name, CheckStatus.Ok, message, null, data);
    public static CheckResult Warning(string name, string message, string fix, IReadOnlyDictionary<string, object?>? data = null) => new(name, CheckStatus.Warning, message, fix, data);
    public static CheckResult Error(string name, string message, string fix, IReadOnlyDictionary<string, object?>? data = null) => new(name, CheckStatus.Error, message, fix, data);
}
