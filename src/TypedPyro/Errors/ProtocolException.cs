namespace TypedPyro;

/// <summary>A message broke the Pyro4 wire protocol (Python's <c>Pyro4.errors.ProtocolError</c>).</summary>
public class ProtocolException : CommunicationException
{
    /// <summary>Creates the exception with a default message.</summary>
    public ProtocolException() : base("ProtocolError") { }

    /// <summary>Creates the exception with a message.</summary>
    public ProtocolException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and the exception that caused it.</summary>
    public ProtocolException(string message, Exception? innerException) : base(message, innerException) { }
}
