namespace TypedPyro;

/// <summary>
/// An exception raised by remote code, as it arrived on the wire. It is thrown directly when the remote
/// type has no .NET counterpart (e.g. <c>demotypes.CustomError</c>), and it is the <see cref="Exception.InnerException"/>
/// of the mapped .NET exception otherwise (e.g. an <see cref="ArgumentException"/> for Python's <c>ValueError</c>),
/// so the remote type name, arguments and traceback are never lost. See <c>docs/exceptions.md</c>.
/// </summary>
public sealed class RemoteException : PyroException
{
    /// <summary>Creates a remote exception from its wire parts.</summary>
    public RemoteException(string remoteTypeName, string message, IReadOnlyList<object?> args, IReadOnlyDictionary<string, object?> attributes, string? remoteTraceback)
        : base(message)
    {
        RemoteTypeName = remoteTypeName;
        Args = args;
        Attributes = attributes;
        RemoteTraceback = remoteTraceback;
    }

    /// <summary>The remote exception class, as <c>module.ClassName</c> (e.g. <c>builtins.ValueError</c>).</summary>
    public string RemoteTypeName { get; }

    /// <summary>The remote exception's <c>args</c> tuple.</summary>
    public IReadOnlyList<object?> Args { get; }

    /// <summary>The remote exception's attributes other than the traceback (Python's <c>__dict__</c>).</summary>
    public IReadOnlyDictionary<string, object?> Attributes { get; }

    /// <summary>The remote traceback text (Pyro's <c>_pyroTraceback</c> joined), when the peer sent one.</summary>
    public string? RemoteTraceback { get; }

    /// <inheritdoc/>
    public override string ToString()
        => RemoteTraceback is null ? base.ToString() : base.ToString() + Environment.NewLine + " +--- This exception occurred remotely (Pyro) - Remote traceback:" + Environment.NewLine + RemoteTraceback;
}
