namespace TypedPyro;

/// <summary>The base of every error TypedPyro raises for Pyro-level problems (Python's <c>Pyro4.errors.PyroError</c>).</summary>
public class PyroException : Exception
{
    /// <summary>Creates the exception with a default message.</summary>
    public PyroException() : base("PyroError") { }

    /// <summary>Creates the exception with a message.</summary>
    public PyroException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and the exception that caused it.</summary>
    public PyroException(string message, Exception? innerException) : base(message, innerException) { }
}
