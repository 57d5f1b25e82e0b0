namespace TypedPyro;

/// <summary>An HMAC check failed or a forbidden class was named (Python's <c>Pyro4.errors.SecurityError</c>).</summary>
public class PyroSecurityException : PyroException
{
    /// <summary>Creates the exception with a default message.</summary>
    public PyroSecurityException() : base("SecurityError") { }

    /// <summary>Creates the exception with a message.</summary>
    public PyroSecurityException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and the exception that caused it.</summary>
    public PyroSecurityException(string message, Exception? innerException) : base(message, innerException) { }
}
