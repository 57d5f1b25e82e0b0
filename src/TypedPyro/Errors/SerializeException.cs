namespace TypedPyro;

/// <summary>A value could not be serialized or deserialized (Python's <c>Pyro4.errors.SerializeError</c>).</summary>
public class SerializeException : ProtocolException
{
    /// <summary>Creates the exception with a default message.</summary>
    public SerializeException() : base("SerializeError") { }

    /// <summary>Creates the exception with a message.</summary>
    public SerializeException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and the exception that caused it.</summary>
    public SerializeException(string message, Exception? innerException) : base(message, innerException) { }
}
