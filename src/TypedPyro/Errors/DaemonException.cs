namespace TypedPyro;

/// <summary>The daemon refused a request, e.g. for an unknown object (Python's <c>Pyro4.errors.DaemonError</c>).</summary>
public class DaemonException : PyroException
{
    /// <summary>Creates the exception with a default message.</summary>
    public DaemonException() : base("DaemonError") { }

    /// <summary>Creates the exception with a message.</summary>
    public DaemonException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and the exception that caused it.</summary>
    public DaemonException(string message, Exception? innerException) : base(message, innerException) { }
}
