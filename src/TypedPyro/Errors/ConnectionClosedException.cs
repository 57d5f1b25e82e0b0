namespace TypedPyro;

/// <summary>The peer closed the connection (Python's <c>Pyro4.errors.ConnectionClosedError</c>).</summary>
public class ConnectionClosedException : CommunicationException
{
    /// <summary>Creates the exception with a default message.</summary>
    public ConnectionClosedException() : base("ConnectionClosedError") { }

    /// <summary>Creates the exception with a message.</summary>
    public ConnectionClosedException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and the exception that caused it.</summary>
    public ConnectionClosedException(string message, Exception? innerException) : base(message, innerException) { }
}
