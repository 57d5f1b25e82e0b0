namespace TypedPyro;

/// <summary>A name could not be registered or resolved (Python's <c>Pyro4.errors.NamingError</c>).</summary>
public class NamingException : PyroException
{
    /// <summary>Creates the exception with a default message.</summary>
    public NamingException() : base("NamingError") { }

    /// <summary>Creates the exception with a message.</summary>
    public NamingException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and the exception that caused it.</summary>
    public NamingException(string message, Exception? innerException) : base(message, innerException) { }
}
