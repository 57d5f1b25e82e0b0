namespace TypedPyro;

/// <summary>The connection failed or misbehaved (Python's <c>Pyro4.errors.CommunicationError</c>).</summary>
public class CommunicationException : PyroException
{
    /// <summary>Creates the exception with a default message.</summary>
    public CommunicationException() : base("CommunicationError") { }

    /// <summary>Creates the exception with a message.</summary>
    public CommunicationException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and the exception that caused it.</summary>
    public CommunicationException(string message, Exception? innerException) : base(message, innerException) { }
}
