namespace TypedPyro;

/// <summary>A connect, send or receive took longer than the configured timeout (Python's <c>Pyro4.errors.TimeoutError</c>).</summary>
public class PyroTimeoutException : CommunicationException
{
    /// <summary>Creates the exception with a default message.</summary>
    public PyroTimeoutException() : base("TimeoutError") { }

    /// <summary>Creates the exception with a message.</summary>
    public PyroTimeoutException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and the exception that caused it.</summary>
    public PyroTimeoutException(string message, Exception? innerException) : base(message, innerException) { }
}
