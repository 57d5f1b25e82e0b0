namespace TypedPyro;

/// <summary>A message exceeds <c>MAX_MESSAGE_SIZE</c> (Python's <c>Pyro4.errors.MessageTooLargeError</c>).</summary>
public class MessageTooLargeException : ProtocolException
{
    /// <summary>Creates the exception with a default message.</summary>
    public MessageTooLargeException() : base("MessageTooLargeError") { }

    /// <summary>Creates the exception with a message.</summary>
    public MessageTooLargeException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and the exception that caused it.</summary>
    public MessageTooLargeException(string message, Exception? innerException) : base(message, innerException) { }
}
